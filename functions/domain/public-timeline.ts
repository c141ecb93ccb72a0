/**
 * What the customer may follow of their complaint: the public steps so far, and the next one
 * with the date it is due by. Internal detail (who was told, severity, reasons) stays out.
 */
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

export function publicTimeline(complaint: TimelineSource): PublicTimeline {
  const steps: PublicStep[] = [{ status: 'received', at: complaint.createdAt }];
  if (complaint.routing) steps.push({ status: 'routed', at: complaint.routing.routedAt });
  const current = complaint.status;
  if (current !== 'received' && current !== 'routed') {
    steps.push({ status: current, at: complaint.updatedAt });
  }
  return { steps, next: nextStep(complaint) };
}

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
    case 'reopened':
      return assessment
        ? { kind: 'resolution', dueAt: assessment.resolutionDueAt }
        : { kind: 'none' };
    case 'resolved':
      return { kind: 'confirmation' };
    case 'closed':
      return { kind: 'none' };
  }
}
