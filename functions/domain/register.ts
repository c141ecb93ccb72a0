/**
 * The complaint register 《用户意见登记及处理表》: one row per complaint with its handling,
 * derived from the complaint and its case events (pure; the data layer stores the row).
 * The statistics (`complaint-statistics.ts`) are counted from the same rows.
 */
import type { CaseAction, CustomerAnswer, Remedy } from './case-lifecycle.ts';
import type { Channel, Complaint, ComplaintStatus, Market } from './complaint.ts';
import type { DepartmentCode } from './departments.ts';
import type { Bilingual } from './labels.ts';
import { ownerFor } from './routing.ts';
import { isWorkingDay, noHolidays, type WorkingCalendar, workingDay } from './working-hours.ts';

export type Satisfaction = CustomerAnswer | 'no_reply';

export interface RegisterRow {
  id: string;
  reference: string;
  /** When the complaint reached us (a keyed-in letter's date, or the form's time). */
  receivedAt: string;
  channel: Channel;
  company?: string;
  customerName: string;
  market: Market;
  region: string;
  category: Complaint['category'];
  productModel?: string;
  batchNo?: string;
  subject: string;
  /** The customer-facing owner (sales or export); absent before routing. */
  owner?: DepartmentCode;
  departments: DepartmentCode[];
  rootCause?: string;
  correctiveAction?: string;
  remedyType?: Remedy['type'];
  remedyAmount?: number;
  remedyCurrency?: string;
  gmApproval?: 'not_needed' | 'pending' | 'approved' | 'rejected';
  firstResponseAt?: string;
  respondedAt?: string;
  closedAt?: string;
  firstResponseDueAt?: string;
  resolutionDueAt?: string;
  /** Working hours (08:30–17:30 China time, working days) from receipt. */
  firstResponseHours?: number;
  closeHours?: number;
  /** Working days (nine working hours each) from receipt to close, one decimal. */
  workingDaysToClose?: number;
  satisfaction?: Satisfaction;
  reopenCount: number;
  /** CAPA references (`CA-2026-0007`) the CAPA work stores on the complaint. */
  capaReferences: string[];
  /** On-site visits: when, who went, and what the visitor's report found. */
  visits?: string;
  status: ComplaintStatus;
}

/** What the row needs of a case event (structurally `CaseEvent` from the data layer). */
export interface RegisterEvent {
  type: CaseAction | 'customer_answer' | 'closed_no_reply';
  at: string;
  fields: Record<string, unknown>;
}

const offsetMs = 8 * 3_600_000;
const dayMs = 86_400_000;
const minuteMs = 60_000;

/**
 * Working hours between two instants on the company clock (the inverse of
 * `addWorkingHours`): hand-written because it is a day walk over the same calendar.
 */
export function workingHoursBetween(
  start: string,
  end: string,
  calendar: WorkingCalendar = noHolidays,
): number {
  const from = Date.parse(start) + offsetMs;
  const to = Date.parse(end) + offsetMs;
  if (!(to > from)) return 0;
  let total = 0;
  // Bounded: ten years of days at most.
  for (
    let midnight = Math.floor(from / dayMs) * dayMs, guard = 0;
    midnight < to && guard < 3660;
  ) {
    const date = new Date(midnight).toISOString().slice(0, 10);
    if (isWorkingDay(date, calendar)) {
      const opens = Math.max(midnight + workingDay.startMinute * minuteMs, from);
      const closes = Math.min(midnight + workingDay.endMinute * minuteMs, to);
      if (closes > opens) total += closes - opens;
    }
    midnight += dayMs;
    guard++;
  }
  return Math.round((total / 3_600_000) * 10) / 10;
}

export const workingHoursPerDay = (workingDay.endMinute - workingDay.startMinute) / 60;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The register row of a complaint as its events left it. */
export function registerRowOf(
  complaint: Complaint & { capaReferences?: readonly string[] },
  events: readonly RegisterEvent[],
  calendar: WorkingCalendar = noHolidays,
  visits: readonly string[] = [],
): RegisterRow {
  const receivedAt = complaint.receivedAt ?? complaint.createdAt;
  const investigations = events.filter((event) => event.type === 'investigate');
  const rootCauses = investigations.map((event) => text(event.fields.rootCause)).filter(isText);
  const correctiveActions = investigations
    .map((event) => text(event.fields.correctiveAction))
    .filter(isText);
  const answers = events.filter(
    (event) => event.type === 'customer_answer' || event.type === 'closed_no_reply',
  );
  const lastAnswer = answers[answers.length - 1];
  const satisfaction: Satisfaction | undefined = !lastAnswer
    ? undefined
    : lastAnswer.type === 'closed_no_reply'
      ? 'no_reply'
      : lastAnswer.fields.answer === 'satisfied'
        ? 'satisfied'
        : 'not_satisfied';
  const reopenCount = events.filter(
    (event) =>
      event.type === 'reopen' ||
      (event.type === 'customer_answer' && event.fields.answer === 'not_satisfied'),
  ).length;
  const remedy = complaint.proposal?.remedy;
  const firstResponseHours = complaint.firstResponseAt
    ? workingHoursBetween(receivedAt, complaint.firstResponseAt, calendar)
    : undefined;
  const closeHours = complaint.closedAt
    ? workingHoursBetween(receivedAt, complaint.closedAt, calendar)
    : undefined;
  const departments = (complaint.routing?.assignments ?? []).map((a) => a.department);
  return {
    id: complaint.id,
    reference: complaint.reference,
    receivedAt,
    channel: complaint.channel,
    ...(complaint.customer.company ? { company: complaint.customer.company } : {}),
    customerName: complaint.customer.name,
    market: complaint.customer.market,
    region: complaint.customer.region,
    category: complaint.category,
    ...(complaint.order?.productModel ? { productModel: complaint.order.productModel } : {}),
    ...(complaint.order?.batchNo ? { batchNo: complaint.order.batchNo } : {}),
    subject: complaint.subject,
    ...(complaint.routing ? { owner: ownerFor(complaint.customer.market) } : {}),
    departments,
    ...(rootCauses.length ? { rootCause: rootCauses.join('; ') } : {}),
    ...(correctiveActions.length ? { correctiveAction: correctiveActions.join('; ') } : {}),
    ...(remedy ? { remedyType: remedy.type } : {}),
    ...(remedy?.amount !== undefined ? { remedyAmount: remedy.amount } : {}),
    ...(remedy?.currency ? { remedyCurrency: remedy.currency } : {}),
    ...(complaint.proposal ? { gmApproval: complaint.proposal.approval } : {}),
    ...(complaint.firstResponseAt ? { firstResponseAt: complaint.firstResponseAt } : {}),
    ...(complaint.respondedAt ? { respondedAt: complaint.respondedAt } : {}),
    ...(complaint.closedAt ? { closedAt: complaint.closedAt } : {}),
    ...(complaint.assessment
      ? {
          firstResponseDueAt: complaint.assessment.firstResponseDueAt,
          resolutionDueAt: complaint.assessment.resolutionDueAt,
        }
      : {}),
    ...(firstResponseHours !== undefined ? { firstResponseHours } : {}),
    ...(closeHours !== undefined
      ? {
          closeHours,
          workingDaysToClose: Math.round((closeHours / workingHoursPerDay) * 10) / 10,
        }
      : {}),
    ...(satisfaction ? { satisfaction } : {}),
    reopenCount,
    capaReferences: [...(complaint.capaReferences ?? [])],
    ...(visits.length ? { visits: visits.join('; ') } : {}),
    status: complaint.status,
  };
}

function isText(value: string | undefined): value is string {
  return value !== undefined;
}

/** `YYYY-MM` of an instant in China time: the register's month partition. */
export function chinaMonth(at: string): string {
  return new Date(Date.parse(at) + offsetMs).toISOString().slice(0, 7);
}

/** `YYYY-MM-DD` of an instant in China time. */
export function chinaDate(at: string): string {
  return new Date(Date.parse(at) + offsetMs).toISOString().slice(0, 10);
}

/** The first instant of a China-time day, and the first of the day after `to`. */
export function periodBounds(from: string, to: string): { start: string; end: string } {
  const start = new Date(Date.parse(`${from}T00:00:00Z`) - offsetMs).toISOString();
  const end = new Date(Date.parse(`${to}T00:00:00Z`) - offsetMs + dayMs).toISOString();
  return { start, end };
}

/** `2026-11` → 2026 and 11; the register's months come from checked dates, never from input. */
export function monthParts(month: string): { year: number; month: number } {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) throw new Error(`Not a YYYY-MM month: ${month}`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

/** The months `from`…`to` (`YYYY-MM`), oldest first. */
export function monthsBetween(fromMonth: string, toMonth: string): string[] {
  const months: string[] = [];
  let { year, month } = monthParts(fromMonth);
  for (let guard = 0; guard < 1200; guard++) {
    const label = `${year}-${String(month).padStart(2, '0')}`;
    if (label > toMonth) break;
    months.push(label);
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return months;
}

export function shiftMonth(month: string, by: number): string {
  const { year, month: m } = monthParts(month);
  return new Date(Date.UTC(year, m - 1 + by, 1)).toISOString().slice(0, 7);
}

/** What the register may be filtered by (each equal to the row's value; a department among its departments). */
export interface RegisterFilter {
  department?: string;
  category?: string;
  status?: string;
  market?: string;
  region?: string;
  productModel?: string;
}

export interface RegisterQuery {
  /** `YYYY-MM-DD`, China time, inclusive. */
  from: string;
  to: string;
  filter: RegisterFilter;
}

/** The register's columns, in order: Chinese header, English beneath, width in characters. */
export type ColumnKind = 'text' | 'date' | 'number';

export interface RegisterColumn {
  key: string;
  label: Bilingual;
  kind: ColumnKind;
  width: number;
  value: (row: RegisterRow) => string | number | undefined;
}

export const registerColumns: readonly RegisterColumn[] = [
  {
    key: 'reference',
    label: { zh: '编号', en: 'Reference' },
    kind: 'text',
    width: 16,
    value: (r) => r.reference,
  },
  {
    key: 'receivedAt',
    label: { zh: '收到日期', en: 'Received' },
    kind: 'date',
    width: 17,
    value: (r) => r.receivedAt,
  },
  {
    key: 'channel',
    label: { zh: '渠道', en: 'Channel' },
    kind: 'text',
    width: 8,
    value: (r) => r.channel,
  },
  {
    key: 'company',
    label: { zh: '客户单位', en: 'Company' },
    kind: 'text',
    width: 22,
    value: (r) => r.company,
  },
  {
    key: 'customerName',
    label: { zh: '客户姓名', en: 'Customer' },
    kind: 'text',
    width: 14,
    value: (r) => r.customerName,
  },
  {
    key: 'market',
    label: { zh: '市场', en: 'Market' },
    kind: 'text',
    width: 9,
    value: (r) => r.market,
  },
  {
    key: 'region',
    label: { zh: '地区', en: 'Region' },
    kind: 'text',
    width: 8,
    value: (r) => r.region,
  },
  {
    key: 'category',
    label: { zh: '类别', en: 'Category' },
    kind: 'text',
    width: 14,
    value: (r) => r.category,
  },
  {
    key: 'productModel',
    label: { zh: '产品型号', en: 'Product model' },
    kind: 'text',
    width: 14,
    value: (r) => r.productModel,
  },
  {
    key: 'batchNo',
    label: { zh: '批号', en: 'Batch' },
    kind: 'text',
    width: 12,
    value: (r) => r.batchNo,
  },
  {
    key: 'subject',
    label: { zh: '主题', en: 'Subject' },
    kind: 'text',
    width: 30,
    value: (r) => r.subject,
  },
  {
    key: 'owner',
    label: { zh: '负责部门', en: 'Owner' },
    kind: 'text',
    width: 9,
    value: (r) => r.owner,
  },
  {
    key: 'departments',
    label: { zh: '相关部门', en: 'Departments' },
    kind: 'text',
    width: 22,
    value: (r) => r.departments.join(', '),
  },
  {
    key: 'rootCause',
    label: { zh: '原因分析', en: 'Root cause' },
    kind: 'text',
    width: 30,
    value: (r) => r.rootCause,
  },
  {
    key: 'correctiveAction',
    label: { zh: '纠正措施', en: 'Corrective action' },
    kind: 'text',
    width: 30,
    value: (r) => r.correctiveAction,
  },
  {
    key: 'remedyType',
    label: { zh: '处理方式', en: 'Remedy' },
    kind: 'text',
    width: 13,
    value: (r) => r.remedyType,
  },
  {
    key: 'remedyAmount',
    label: { zh: '金额', en: 'Amount' },
    kind: 'number',
    width: 11,
    value: (r) => r.remedyAmount,
  },
  {
    key: 'remedyCurrency',
    label: { zh: '币种', en: 'Currency' },
    kind: 'text',
    width: 8,
    value: (r) => r.remedyCurrency,
  },
  {
    key: 'gmApproval',
    label: { zh: '总经理审批', en: 'GM approval' },
    kind: 'text',
    width: 12,
    value: (r) => r.gmApproval,
  },
  {
    key: 'respondedAt',
    label: { zh: '答复日期', en: 'Responded' },
    kind: 'date',
    width: 17,
    value: (r) => r.respondedAt,
  },
  {
    key: 'closedAt',
    label: { zh: '结案日期', en: 'Closed' },
    kind: 'date',
    width: 17,
    value: (r) => r.closedAt,
  },
  {
    key: 'workingDaysToClose',
    label: { zh: '结案工作日', en: 'Working days to close' },
    kind: 'number',
    width: 12,
    value: (r) => r.workingDaysToClose,
  },
  {
    key: 'satisfaction',
    label: { zh: '对处理的满意度', en: 'Satisfaction with handling' },
    kind: 'text',
    width: 14,
    value: (r) => r.satisfaction,
  },
  {
    key: 'capaReferences',
    label: { zh: '关联纠正预防措施', en: 'Linked CAPA' },
    kind: 'text',
    width: 16,
    value: (r) => r.capaReferences.join(', '),
  },
  {
    key: 'visits',
    label: { zh: '上门服务', en: 'On-site visits' },
    kind: 'text',
    width: 30,
    value: (r) => r.visits,
  },
  {
    key: 'status',
    label: { zh: '状态', en: 'Status' },
    kind: 'text',
    width: 12,
    value: (r) => r.status,
  },
];
