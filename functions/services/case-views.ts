/**
 * What staff read: one complaint with its version, assignments, due dates, allowed actions
 * and whole history (from one Query of its partition); and the queue, merged from the
 * department-and-status index, newest first, with a cursor.
 */
import {
  type AssignmentRow,
  assignmentsIn,
  complaintPartition,
  parseCaseEvent,
} from '#functions/data/cases.ts';
import { allowedActions, type CaseAction, isOwner } from '#functions/domain/case-lifecycle.ts';
import { type Complaint, type ComplaintStatus, statuses } from '#functions/domain/complaint.ts';
import type { DepartmentCode } from '#functions/domain/departments.ts';
import type { Assignment } from '#functions/domain/routing.ts';
import { allowsVisit } from '#functions/domain/visits.ts';
import type { LoadedCase } from './cases.ts';
import { visitHistory } from './visit-views.ts';

export interface HistoryEntry {
  at: string;
  type: string;
  /** Staff: who and in which roles; `system` for steps the system took; the customer's answer. */
  actor:
    | { email: string; name?: string; roles: DepartmentCode[] }
    | { kind: 'system' | 'customer' | 'visitor' };
  version?: number;
  [field: string]: unknown;
}

export interface CaseView {
  id: string;
  reference: string;
  status: ComplaintStatus;
  version: number;
  complaint: Pick<
    Complaint,
    'customer' | 'category' | 'subject' | 'description' | 'language' | 'channel' | 'createdAt'
  > &
    Pick<Partial<Complaint>, 'order' | 'claim'> & { receivedAt: string };
  assignments: Assignment[];
  outlet?: { id: string; role: string };
  severity?: AssignmentRow['severity'];
  firstResponseDueAt?: string;
  resolutionDueAt?: string;
  firstResponseAt?: string;
  respondedAt?: string;
  closedAt?: string;
  proposal?: LoadedCase['state']['proposal'];
  allowedActions: CaseAction[];
  history: HistoryEntry[];
  /** The owner may schedule an on-site visit (on-site service and technical support complaints). */
  canScheduleVisit: boolean;
  /** SES reported the customer's mail as bounced for good: staff phone instead. */
  customerMailBounce?: { at: string; notification: string };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export async function caseView(
  loaded: LoadedCase,
  roles: readonly DepartmentCode[],
): Promise<CaseView> {
  const { complaint, state, parties } = loaded;
  const items = await complaintPartition(complaint.id);
  const history: HistoryEntry[] = [
    {
      at: complaint.receivedAt ?? complaint.createdAt,
      type: 'received',
      actor: { kind: 'system' },
      channel: complaint.channel,
    },
  ];
  for (const item of items) {
    const sk = String(item.sk);
    if (sk.startsWith('EVENT#')) {
      history.push({
        at: String(item.at),
        type: String(item.type),
        actor: { kind: 'system' },
        ...(isRecord(item.details) ? item.details : {}),
      });
    } else if (sk.startsWith('ACTION#')) {
      const event = parseCaseEvent(item);
      const actor =
        event.actor.kind === 'staff'
          ? { email: event.actor.email, name: event.actor.name, roles: event.actor.roles }
          : { kind: event.actor.kind };
      history.push({
        ...event.fields,
        at: event.at,
        type: event.type,
        version: event.version,
        actor,
        status: event.state.status,
      });
    }
  }
  // The routing decision, set once on the complaint, is its `routed` entry; complaints
  // routed before that kept a history item of it, which is listed above instead.
  const { routing: decided, assessment: assessed } = complaint;
  if (decided && assessed && !history.some((entry) => entry.type === 'routed')) {
    history.push({
      at: decided.routedAt,
      type: 'routed',
      actor: { kind: 'system' },
      assignments: decided.assignments,
      ...(decided.outlet ? { outlet: decided.outlet } : {}),
      severity: assessed.severity,
      reasons: assessed.reasons,
      firstResponseDueAt: assessed.firstResponseDueAt,
      resolutionDueAt: assessed.resolutionDueAt,
    });
  }
  history.push(...visitHistory(items));
  history.sort((a, b) => a.at.localeCompare(b.at) || (a.version ?? 0) - (b.version ?? 0));
  const { routing, assessment } = complaint;
  return {
    id: complaint.id,
    reference: complaint.reference,
    status: state.status,
    version: state.version,
    complaint: {
      customer: complaint.customer,
      category: complaint.category,
      subject: complaint.subject,
      description: complaint.description,
      language: complaint.language,
      channel: complaint.channel,
      createdAt: complaint.createdAt,
      receivedAt: complaint.receivedAt ?? complaint.createdAt,
      ...(complaint.order ? { order: complaint.order } : {}),
      ...(complaint.claim ? { claim: complaint.claim } : {}),
    },
    assignments: (routing?.assignments ?? []).map(({ department, role }) => ({ department, role })),
    ...(routing?.outlet ? { outlet: routing.outlet } : {}),
    ...(assessment
      ? {
          severity: assessment.severity,
          firstResponseDueAt: assessment.firstResponseDueAt,
          resolutionDueAt: assessment.resolutionDueAt,
        }
      : {}),
    ...(state.firstResponseAt ? { firstResponseAt: state.firstResponseAt } : {}),
    ...(state.respondedAt ? { respondedAt: state.respondedAt } : {}),
    ...(state.closedAt ? { closedAt: state.closedAt } : {}),
    ...(state.proposal ? { proposal: state.proposal } : {}),
    allowedActions: allowedActions(state, roles, parties),
    history,
    canScheduleVisit: allowsVisit(complaint.category) && isOwner(roles, parties),
    ...(complaint.customerMailBounce ? { customerMailBounce: complaint.customerMailBounce } : {}),
  };
}

export interface QueueRow {
  reference: string;
  status: ComplaintStatus;
  category: AssignmentRow['category'];
  severity: AssignmentRow['severity'];
  subject?: string;
  createdAt: string;
  dueAt?: string;
  overdue: boolean;
  departments: DepartmentCode[];
}

export interface QueueQuery {
  roles: readonly DepartmentCode[];
  department?: DepartmentCode;
  status?: ComplaintStatus;
  /** Only open statuses (the console's queue). */
  openOnly?: boolean;
  category?: AssignmentRow['category'];
  overdue?: boolean;
  cursor?: string;
  limit: number;
  now: Date;
}

export type QueueAnswer =
  | { outcome: 'listed'; items: QueueRow[]; nextCursor?: string }
  | { outcome: 'forbidden' };

/**
 * Merges the newest `limit + 1` of each (department, status) partition: everything above the
 * highest last key of a partition cut short is complete, so the page ends no lower than that.
 * GM and office see everything through the GM's partitions (the GM is told of every
 * complaint): register rows, and the GM assignment items of complaints routed before those
 * were the GM's rows (such a complaint's register row stays out of the index: one row each).
 */
export async function listQueue(query: QueueQuery): Promise<QueueAnswer> {
  const seesAll = query.roles.includes('gm') || query.roles.includes('office');
  if (query.department && !seesAll && !query.roles.includes(query.department)) {
    return { outcome: 'forbidden' };
  }
  const departments: DepartmentCode[] = query.department
    ? [query.department]
    : seesAll
      ? ['gm']
      : [...query.roles];
  const wanted = query.status
    ? [query.status]
    : statuses.filter(
        (status) => !query.openOnly || (status !== 'closed' && status !== 'responded'),
      );
  const pages = await Promise.all(
    departments.flatMap((department) =>
      wanted.map((status) => assignmentsIn(department, status, query.limit + 1, query.cursor)),
    ),
  );
  let boundary: string | undefined;
  for (const page of pages) {
    const last = page[page.length - 1];
    if (page.length > query.limit && last && (!boundary || last.departmentSort > boundary)) {
      boundary = last.departmentSort;
    }
  }
  const byComplaint = new Map<string, { row: AssignmentRow; departments: DepartmentCode[] }>();
  for (const row of pages.flat()) {
    const seen = byComplaint.get(row.complaintId);
    if (!seen) byComplaint.set(row.complaintId, { row, departments: [row.department] });
    else if (!seen.departments.includes(row.department)) seen.departments.push(row.department);
  }
  const merged = [...byComplaint.values()].sort((a, b) =>
    b.row.departmentSort.localeCompare(a.row.departmentSort),
  );
  const items: QueueRow[] = [];
  let lastKey: string | undefined;
  let more = false;
  for (const { row, departments: rowDepartments } of merged) {
    if (boundary && row.departmentSort < boundary) {
      more = true;
      break;
    }
    if (items.length === query.limit) {
      more = true;
      break;
    }
    lastKey = row.departmentSort;
    const overdue = row.nextDueAt !== undefined && Date.parse(row.nextDueAt) <= query.now.getTime();
    if (query.overdue !== undefined && overdue !== query.overdue) continue;
    if (query.category && row.category !== query.category) continue;
    items.push({
      reference: row.reference,
      status: row.status,
      category: row.category,
      severity: row.severity,
      ...(row.subject ? { subject: row.subject } : {}),
      createdAt: row.departmentSort.split('#')[0] ?? '',
      ...(row.nextDueAt ? { dueAt: row.nextDueAt } : {}),
      overdue,
      departments: rowDepartments,
    });
  }
  // A partition cut short may hold more below what was read.
  if (boundary) more = true;
  return { outcome: 'listed', items, ...(more && lastKey ? { nextCursor: lastKey } : {}) };
}
