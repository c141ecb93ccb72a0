/**
 * Every key value in the table is built here, so the access patterns can be read in one
 * place (README, "Data"). Items of one complaint share a partition: one Query returns the
 * complaint with its history, assignments and notification markers.
 */
import type { ComplaintStatus } from '#functions/domain/complaint.ts';

export interface ItemKey {
  pk: string;
  sk: string;
}

const complaintPartition = (id: string) => `COMPLAINT#${id}`;
const caseEventPrefix = 'ACTION#';

export const keys = {
  complaint: (id: string): ItemKey => ({ pk: complaintPartition(id), sk: 'COMPLAINT' }),
  /**
   * What intake writes once and nothing rewrites: the description (up to 5,000 characters),
   * the request's fingerprint, the JSON answer's status-link digest. It sorts right after the
   * complaint item (`COMPLAINT` < `DESCRIPTION` < `EVENT#…`), so one Query reads both.
   */
  complaintDescription: (id: string): ItemKey => ({
    pk: complaintPartition(id),
    sk: 'DESCRIPTION',
  }),
  complaintPartition,
  /** History events sort by time after the complaint item (`COMPLAINT` < `EVENT#…`). */
  complaintEvent: (id: string, at: string, type: string): ItemKey => ({
    pk: complaintPartition(id),
    sk: `EVENT#${at}#${type}`,
  }),
  /**
   * One per staff action (or customer answer), keyed by the complaint's version it makes:
   * written only if absent, so of two actions on one version exactly one is recorded.
   */
  caseEvent: (id: string, version: number): ItemKey => ({
    pk: complaintPartition(id),
    sk: `${caseEventPrefix}${String(version).padStart(8, '0')}`,
  }),
  caseEventPrefix: () => caseEventPrefix,
  /** Found by the SHA-256 of the response email's feedback link; the token itself is never stored. */
  feedbackToken: (digest: string): ItemKey => ({ pk: `FEEDBACK-TOKEN#${digest}`, sk: 'TOKEN' }),
  /** One scheduled on-site visit of the complaint, with its report once the outlet sends it. */
  visit: (id: string, visit: string): ItemKey => ({
    pk: complaintPartition(id),
    sk: `VISIT#${visit}`,
  }),
  /** A visit's report or calendar link, found by the SHA-256 of its token (never stored). */
  visitToken: (digest: string): ItemKey => ({ pk: `VISIT-TOKEN#${digest}`, sk: 'TOKEN' }),
  /** Exactly-once marker of one GM digest (one a China-time day). */
  digestMail: (day: string): ItemKey => ({ pk: `DIGEST#${day}`, sk: 'MAIL' }),
  /** One per department told of the complaint; listed per department by `byDepartmentStatus`. */
  assignment: (id: string, department: string): ItemKey => ({
    pk: complaintPartition(id),
    sk: `ASSIGNMENT#${department}`,
  }),
  /** One recorded photo or document of the complaint (`upload` is its upload's id). */
  attachment: (id: string, upload: string): ItemKey => ({
    pk: complaintPartition(id),
    sk: `ATTACHMENT#${upload}`,
  }),
  /** The exactly-once marker of one email: `notification` is `event:recipient` (`routed:department:gm`). */
  notification: (id: string, notification: string): ItemKey => ({
    pk: complaintPartition(id),
    sk: `NOTIFICATION#${notification}`,
  }),
  counter: (name: string, year: number): ItemKey => ({
    pk: `COUNTER#${name}#${year}`,
    sk: 'COUNTER',
  }),
  idempotency: (scope: string, key: string): ItemKey => ({
    pk: `IDEMPOTENCY#${scope}#${key}`,
    sk: 'IDEMPOTENCY',
  }),
  /** One registry entry per address, whatever its case: re-imports update it. */
  customer: (email: string): ItemKey => ({
    pk: `CUSTOMER#${email.trim().toLowerCase()}`,
    sk: 'PROFILE',
  }),
  /** A year's survey: its campaign record and one invitation per customer share a partition. */
  surveyCampaign: (year: number): ItemKey => ({ pk: `SURVEY#${year}`, sk: 'CAMPAIGN' }),
  surveyInvitation: (year: number, email: string): ItemKey => ({
    pk: `SURVEY#${year}`,
    sk: `INVITATION#${email.trim().toLowerCase()}`,
  }),
  /** Exactly-once marker of one survey mail: 0 the invitation, n the n-th reminder. */
  surveyMail: (year: number, email: string, mail: number): ItemKey => ({
    pk: `SURVEY#${year}`,
    sk: `MAIL#${email.trim().toLowerCase()}#${mail}`,
  }),
  /** Exactly-once marker of the year's report to one department. */
  surveyReportMail: (year: number, department: string): ItemKey => ({
    pk: `SURVEY#${year}`,
    sk: `REPORT#${department}`,
  }),
  surveyInvitations: (year: number) => ({ pk: `SURVEY#${year}`, skPrefix: 'INVITATION#' }),
  /** Found by the SHA-256 of the link's token; the token itself is never stored. */
  surveyToken: (digest: string): ItemKey => ({ pk: `SURVEY-TOKEN#${digest}`, sk: 'TOKEN' }),
  /**
   * The register: one narrow row per complaint in its China-time received month's partition,
   * sorted by receipt; the month's statistics summary sits beside the rows.
   */
  registerRow: (month: string, receivedAt: string, id: string): ItemKey => ({
    pk: `REGISTER#${month}`,
    sk: `ROW#${receivedAt}#${id}`,
  }),
  registerMonth: (month: string) => ({ pk: `REGISTER#${month}`, skPrefix: 'ROW#' }),
  registerSummary: (month: string): ItemKey => ({ pk: `REGISTER#${month}`, sk: 'SUMMARY' }),
  /**
   * How many row writes the month has seen: its own small item, so a bump costs one write
   * unit whatever the size of the summary beside it (whose key it begins with).
   */
  registerChanges: (month: string): ItemKey => ({
    pk: `REGISTER#${month}`,
    sk: 'SUMMARY#CHANGES',
  }),
  /** The CAPA suggestions of the window ending on `day`, with the month changes they saw. */
  registerSuggestions: (day: string): ItemKey => ({
    pk: `REGISTER-SUGGESTIONS#${day}`,
    sk: 'SUGGESTIONS',
  }),
  /** Who exported which register or statistics, when: one per export, by year. */
  exportLog: (year: number, at: string, id: string): ItemKey => ({
    pk: `EXPORT-LOG#${year}`,
    sk: `${at}#${id}`,
  }),
  configuration: (kind: string, id: string): ItemKey => ({ pk: 'CONFIG', sk: `${kind}#${id}` }),
  configurationKind: (kind: string) => ({ pk: 'CONFIG', skPrefix: `${kind}#` }),
  /** A survey mail's unsubscribe link, found by the SHA-256 of its token (never stored). */
  unsubscribeToken: (digest: string): ItemKey => ({ pk: `UNSUBSCRIBE#${digest}`, sk: 'TOKEN' }),
  /**
   * A year's CAPA share a partition (a few dozen a year): the CAPA item, one event per
   * step keyed by the version it makes (written only if absent), and escalation records.
   */
  capa: (year: number, reference: string): ItemKey => ({
    pk: capaPartition(year),
    sk: `ITEM#${reference}`,
  }),
  capaItems: (year: number) => ({ pk: capaPartition(year), skPrefix: 'ITEM#' }),
  /** A keyed request to create a CAPA (by the digest of its author and key): its reference. */
  capaRequest: (digest: string): ItemKey => ({ pk: `CAPA-REQUEST#${digest}`, sk: 'REQUEST' }),
  capaEvent: (year: number, reference: string, version: number): ItemKey => ({
    pk: capaPartition(year),
    sk: `STEP#${reference}#${String(version).padStart(8, '0')}`,
  }),
  capaEventPrefix: (year: number, reference: string) => ({
    pk: capaPartition(year),
    skPrefix: `STEP#${reference}#`,
  }),
  /** Once per overdue planned action (`action` is its index in the plan). */
  capaEscalation: (year: number, reference: string, action: number): ItemKey => ({
    pk: capaPartition(year),
    sk: `ESCALATED#${reference}#${String(action).padStart(3, '0')}`,
  }),
  /** Exactly-once marker of the overdue mail of one action to one department. */
  capaEscalationMail: (year: number, reference: string, action: number, department: string) => ({
    pk: capaPartition(year),
    sk: `MAIL#ESCALATED#${reference}#${String(action).padStart(3, '0')}#${department}`,
  }),
  capaEscalationPrefix: (year: number, reference: string) => ({
    pk: capaPartition(year),
    skPrefix: `ESCALATED#${reference}#`,
  }),
} as const;

function capaPartition(year: number): string {
  return `CAPA#${year}`;
}

/** Values of the secondary-index attributes (see `table.ts`). */
export const indexKeys = {
  reference: (reference: string) => ({
    referenceKey: `REF#${reference}`,
    referenceSort: 'COMPLAINT',
  }),
  customer: (email: string, createdAt: string) => ({
    customerKey: `CUSTOMER#${email.trim().toLowerCase()}`,
    customerSort: createdAt,
  }),
  departmentStatus: (
    department: string,
    status: ComplaintStatus,
    createdAt: string,
    id: string,
  ) => ({
    departmentStatusKey: `DEPT#${department}#${status}`,
    departmentSort: `${createdAt}#${id}`,
  }),
  due: (queue: DueQueue, dueAt: string) => ({ dueKey: `DUE#${queue}`, dueAt }),
  deliverableCustomer: (email: string) => ({
    registryKey: 'CUSTOMERS#deliverable',
    registrySort: email.trim().toLowerCase(),
  }),
  /** Customers surveyed by phone, fax or post: the same sparse index, another partition. */
  offlineSurveyCustomer: (email: string) => ({
    registryKey: 'CUSTOMERS#offline',
    registrySort: email.trim().toLowerCase(),
  }),
  /**
   * The complaint a `byDepartmentStatus` entry is about, from its sort key (`createdAt#id`):
   * an assignment item and a register row (the GM's queue row) both carry it.
   */
  departmentSortParts: (departmentSort: string) => {
    // An ISO instant has no `#`: the id is everything after the first one.
    const at = departmentSort.indexOf('#');
    return at < 0
      ? undefined
      : { createdAt: departmentSort.slice(0, at), id: departmentSort.slice(at + 1) };
  },
} as const;

/** What waits on a clock in the sparse `byDue` index. */
export type DueQueue = 'enqueue' | 'open' | 'capa' | 'visit';
