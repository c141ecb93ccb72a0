/**
 * Routing by the procedure (BRIEF.md, "The procedure", step 2): who is told of a complaint,
 * in which role, how serious it looks and when it is due. Pure rules; what the business
 * will want to change (which categories count as product quality, which ask for the local
 * outlet, the words that signal danger, response targets) is a `RoutingPolicy`, kept as
 * configuration with `defaultRoutingPolicy` as its default.
 */
import type { Category, Complaint, Market } from './complaint.ts';
import type { DepartmentCode } from './departments.ts';
import type { Notification } from './notifications.ts';
import { type Outlet, outletCovering } from './outlets.ts';
import { addWorkingHours, noHolidays, type WorkingCalendar } from './working-hours.ts';

/**
 * What a party does with the complaint: the `owner` keeps the customer informed and
 * handles it; `analysis` organises the analysis; `root_cause` finds the cause and sets the
 * corrective measures; `approval` approves compensation; `informed` is told;
 * `local_service` gives service on site or technical support in the customer's region.
 */
export const roles = [
  'owner',
  'analysis',
  'root_cause',
  'approval',
  'informed',
  'local_service',
] as const;
export type Role = (typeof roles)[number];

export const severities = ['low', 'normal', 'high'] as const;
export type Severity = (typeof severities)[number];

/** Targets count working hours (08:30–17:30 China time, nine a working day; see `working-hours.ts`). */
export interface ResponseTargets {
  /** Working hours from receipt until the owner must have answered the customer. */
  firstResponseHours: number;
  /** Working hours from receipt until the complaint must be resolved. */
  resolutionHours: number;
}

export interface RoutingPolicy {
  /** Go to production_vp (analysis) and qc (root cause) as well as the owner. */
  productQualityCategories: Category[];
  /** Tell the outlet covering the customer's region, where one does. */
  localServiceCategories: Category[];
  /** Low severity unless something else raises it (suggestions). */
  lowSeverityCategories: Category[];
  /** Any of these in the subject or description makes it high severity: Chinese words match anywhere, others as whole words. */
  safetyWords: string[];
  targets: Record<Severity, ResponseTargets>;
  /** Holidays and working weekend days of the stage; due dates skip the one and count the other. */
  calendar?: WorkingCalendar;
  /** Remedies that need the GM's approval before the customer is told (compensation always does). */
  approvalRemedies?: RemedyType[];
}

export const remedyTypes = ['none', 'repair', 'return', 'exchange', 'compensation'] as const;
export type RemedyType = (typeof remedyTypes)[number];

export const defaultRoutingPolicy: RoutingPolicy = {
  productQualityCategories: ['quality', 'wrong_goods'],
  localServiceCategories: ['onsite_service', 'technical_support', 'quality'],
  lowSeverityCategories: ['suggestion'],
  safetyWords: [
    '安全',
    '受伤',
    '伤亡',
    '事故',
    '倒塌',
    '坍塌',
    '坠落',
    '断裂',
    '火灾',
    '触电',
    '危险',
    'safety',
    'unsafe',
    'injury',
    'injured',
    'injuries',
    'accident',
    'collapse',
    'collapsed',
    'fire',
    'hazard',
    'hazardous',
    'danger',
    'dangerous',
  ],
  // Working hours: 9 is one working day.
  targets: {
    high: { firstResponseHours: 4, resolutionHours: 3 * 9 },
    normal: { firstResponseHours: 9, resolutionHours: 5 * 9 },
    low: { firstResponseHours: 3 * 9, resolutionHours: 20 * 9 },
  },
};

export type SeverityReason =
  | 'safety_concern'
  | 'compensation_claim'
  | 'return_or_exchange'
  | 'product_quality'
  | 'low_severity_category';

export interface Assessment {
  severity: Severity;
  /** Why, for the people handling it: empty when nothing stood out. */
  reasons: SeverityReason[];
  firstResponseDueAt: string;
  resolutionDueAt: string;
}

export interface Assignment {
  department: DepartmentCode;
  role: Role;
}

export interface RoutingDecision {
  routedAt: string;
  /** One per department, the owner first after the GM. */
  assignments: Assignment[];
  outlet?: { id: string; role: 'local_service' };
}

/** The parts of a complaint routing looks at. */
export type RoutableComplaint = Pick<
  Complaint,
  'category' | 'customer' | 'subject' | 'description' | 'claim' | 'createdAt' | 'receivedAt'
>;

/** The customer-facing owner: domestic sales for domestic customers, export sales for export. */
export function ownerFor(market: Market): DepartmentCode {
  return market === 'domestic' ? 'sales' : 'export';
}

export function isProductQuality(category: Category, policy: RoutingPolicy): boolean {
  return policy.productQualityCategories.includes(category);
}

export function assignmentsFor(complaint: RoutableComplaint, policy: RoutingPolicy): Assignment[] {
  const assignments: Assignment[] = [
    // The GM is told of every complaint, and approves compensation.
    { department: 'gm', role: complaint.claim?.type === 'compensation' ? 'approval' : 'informed' },
    { department: ownerFor(complaint.customer.market), role: 'owner' },
  ];
  if (isProductQuality(complaint.category, policy)) {
    assignments.push({ department: 'production_vp', role: 'analysis' });
    assignments.push({ department: 'qc', role: 'root_cause' });
  }
  return assignments;
}

/** The outlet to tell: only where the category asks for local service and one covers the region. */
export function outletFor(
  complaint: RoutableComplaint,
  outlets: readonly Outlet[],
  policy: RoutingPolicy,
): Outlet | undefined {
  if (!policy.localServiceCategories.includes(complaint.category)) return undefined;
  return outletCovering(complaint.customer.region, outlets);
}

/** The safety words found in `text`. */
export function safetyWordsIn(text: string, words: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return words.filter((word) => {
    const wanted = word.trim().toLowerCase();
    if (wanted === '') return false;
    if (!/[a-z0-9]/.test(wanted)) return lower.includes(wanted);
    return new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(wanted)}($|[^\\p{L}\\p{N}])`, 'u').test(
      lower,
    );
  });
}

function escapeRegExp(value: string): string {
  return value.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

export function assessSeverity(
  complaint: RoutableComplaint,
  policy: RoutingPolicy,
): { severity: Severity; reasons: SeverityReason[] } {
  const reasons: SeverityReason[] = [];
  const text = `${complaint.subject}\n${complaint.description}`;
  if (safetyWordsIn(text, policy.safetyWords).length > 0) reasons.push('safety_concern');
  if (complaint.claim?.type === 'compensation') reasons.push('compensation_claim');
  if (reasons.length > 0) return { severity: 'high', reasons };

  const claimType = complaint.claim?.type;
  if (claimType === 'return' || claimType === 'exchange') reasons.push('return_or_exchange');
  if (isProductQuality(complaint.category, policy)) reasons.push('product_quality');
  if (reasons.length > 0) return { severity: 'normal', reasons };

  if (policy.lowSeverityCategories.includes(complaint.category)) {
    return { severity: 'low', reasons: ['low_severity_category'] };
  }
  return { severity: 'normal', reasons: [] };
}

/**
 * Due dates run from receipt in working hours, so they do not move if routing is late or
 * repeated, and a complaint at 22:00 is not due at 02:00.
 */
export function dueDates(
  severity: Severity,
  receivedAt: string,
  policy: RoutingPolicy,
): Pick<Assessment, 'firstResponseDueAt' | 'resolutionDueAt'> {
  const received = new Date(receivedAt);
  const target = policy.targets[severity];
  const calendar = policy.calendar ?? noHolidays;
  return {
    firstResponseDueAt: addWorkingHours(
      received,
      target.firstResponseHours,
      calendar,
    ).toISOString(),
    resolutionDueAt: addWorkingHours(received, target.resolutionHours, calendar).toISOString(),
  };
}

/** Does this remedy wait for the GM's approval? Compensation always does. */
export function needsApproval(remedy: RemedyType, policy: RoutingPolicy): boolean {
  return remedy === 'compensation' || (policy.approvalRemedies ?? []).includes(remedy);
}

export function assess(complaint: RoutableComplaint, policy: RoutingPolicy): Assessment {
  const { severity, reasons } = assessSeverity(complaint, policy);
  // A complaint keyed in from a letter or call is due from when it reached us.
  const receivedAt = complaint.receivedAt ?? complaint.createdAt;
  return { severity, reasons, ...dueDates(severity, receivedAt, policy) };
}

export interface RoutingConfiguration {
  policy: RoutingPolicy;
  outlets: readonly Outlet[];
}

export function decideRouting(
  complaint: RoutableComplaint,
  configuration: RoutingConfiguration,
  now: Date,
): { decision: RoutingDecision; assessment: Assessment } {
  const outlet = outletFor(complaint, configuration.outlets, configuration.policy);
  const decision: RoutingDecision = {
    routedAt: now.toISOString(),
    assignments: assignmentsFor(complaint, configuration.policy),
  };
  if (outlet) decision.outlet = { id: outlet.id, role: 'local_service' };
  return { decision, assessment: assess(complaint, configuration.policy) };
}

/** The customer's acknowledgement, then one alert per department and the outlet told. */
export function notificationsFor(
  decision: RoutingDecision,
  options: { acknowledgeCustomer: boolean } = { acknowledgeCustomer: true },
): Notification[] {
  const notifications: Notification[] = options.acknowledgeCustomer
    ? [{ event: 'received', recipient: { kind: 'customer' } }]
    : [];
  for (const assignment of decision.assignments) {
    notifications.push({
      event: 'routed',
      recipient: { kind: 'department', code: assignment.department },
    });
  }
  if (decision.outlet) {
    notifications.push({ event: 'routed', recipient: { kind: 'outlet', id: decision.outlet.id } });
  }
  return notifications;
}

/** The role a party was given, as the alert to it says. */
export function roleOf(
  decision: RoutingDecision,
  recipient: Notification['recipient'],
): Role | undefined {
  switch (recipient.kind) {
    case 'department':
      return decision.assignments.find((assignment) => assignment.department === recipient.code)
        ?.role;
    case 'outlet':
      return decision.outlet?.id === recipient.id ? decision.outlet.role : undefined;
    case 'customer':
      return undefined;
  }
}
