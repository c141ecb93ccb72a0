/**
 * What the customer may follow of their complaint: the public steps so far, and the next one
 * with the date it is due by. Internal detail (who was told, severity, reasons) stays out.
 */
import type { PublicStep as CaseStep, PublicStepEntry } from './case-lifecycle.ts';
import type { Complaint, ComplaintStatus } from './complaint.ts';

export interface PublicStep {
  status: ComplaintStatus;
  at: string;
}

export type NextStep =
  | { kind: 'routing' }
  | { kind: 'first_response'; dueAt: string }
  | { kind: 'resolution'; dueAt: string }
  | { kind: 'confirmation' }
  | { kind: 'none' };

export interface PublicTimeline {
  steps: PublicStep[];
  next: NextStep;
}

type TimelineSource = Pick<
  Complaint,
  'status' | 'createdAt' | 'updatedAt' | 'routing' | 'assessment'
>;

/**
 * The steps so far: received, passed on, and then the public steps of case handling (taken
 * up, answered, closed, reopened), each at the time its action was recorded.
 */
export function publicTimeline(
  complaint: TimelineSource,
  caseSteps: readonly PublicStepEntry[] = [],
): PublicTimeline {
  const steps: PublicStep[] = [{ status: 'received', at: complaint.createdAt }];
  if (complaint.routing) steps.push({ status: 'routed', at: complaint.routing.routedAt });
  for (const entry of caseSteps) {
    if (entry.step !== 'received') steps.push({ status: caseStepStatus[entry.step], at: entry.at });
  }
  return { steps, next: nextStep(complaint) };
}

const caseStepStatus: Record<Exclude<CaseStep, 'received'>, ComplaintStatus> = {
  handling: 'in_progress',
  responded: 'responded',
  closed: 'closed',
  reopened: 'reopened',
};

function nextStep(complaint: TimelineSource): NextStep {
  const assessment = complaint.assessment;
  switch (complaint.status) {
    case 'received':
      return { kind: 'routing' };
    case 'routed':
      return assessment
        ? { kind: 'first_response', dueAt: assessment.firstResponseDueAt }
        : { kind: 'routing' };
    case 'in_progress':
    case 'awaiting_approval':
    case 'reopened':
      return assessment
        ? { kind: 'resolution', dueAt: assessment.resolutionDueAt }
        : { kind: 'none' };
    case 'responded':
      return { kind: 'confirmation' };
    case 'closed':
      return { kind: 'none' };
  }
}
