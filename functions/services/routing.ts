/**
 * Routing, as idempotent steps: (1) decide and record the decision on the complaint, once;
 * (2) write one assignment per department; (3) record the `routed` history event, keyed by
 * the decision's time; (4) queue one notification per recipient and mark them queued. A
 * redelivered message finds each step done and repeats none; a crash part-way leaves the
 * later steps to the redelivery, and a notification queued twice is still sent once
 * (the notification consumer's markers see to that). The customer joins the registry the
 * yearly survey writes to (an idempotent upsert).
 */
import { notificationMessageFor } from '#functions/contract/messages.ts';
import { latestCaseEvent, projectAssignments } from '#functions/data/cases.ts';
import { getComplaint } from '#functions/data/complaints.ts';
import { getRoutingPolicy, listOutlets } from '#functions/data/configuration.ts';
import { recordHistoryEvent } from '#functions/data/history.ts';
import {
  markNotificationsQueued,
  recordAssignment,
  recordRouting,
} from '#functions/data/routing.ts';
import { decideRouting, notificationsFor } from '#functions/domain/routing.ts';
import { log } from '#functions/shared/log.ts';
import { sendBatchToQueue } from '#functions/shared/queues.ts';
import { registerComplainant } from './customer-registry.ts';
import { syncRegisterRow } from './register.ts';

export type RoutingOutcome = 'routed' | 'already_routed' | 'not_routable';

export class ComplaintNotFound extends Error {
  constructor(complaintId: string) {
    super(`Complaint ${complaintId} does not exist`);
    this.name = 'ComplaintNotFound';
  }
}

export async function routeComplaint(complaintId: string, now: Date): Promise<RoutingOutcome> {
  let complaint = await getComplaint(complaintId);
  // Intake writes the complaint before it queues the message: a missing one will not appear.
  if (!complaint) throw new ComplaintNotFound(complaintId);

  let outcome: RoutingOutcome = 'already_routed';
  if (!complaint.routing) {
    if (complaint.status !== 'received') {
      log.warn('complaint is past routing without a routing decision; left as is', {
        complaintId,
        reference: complaint.reference,
      });
      return 'not_routable';
    }
    const [policy, outlets] = await Promise.all([getRoutingPolicy(), listOutlets()]);
    const { decision, assessment } = decideRouting(complaint, { policy, outlets }, now);
    if (await recordRouting(complaint.id, decision, assessment)) outcome = 'routed';
    // Read back what is recorded: a concurrent delivery may have recorded its own decision.
    complaint = await getComplaint(complaintId);
  }
  const routing = complaint?.routing;
  const assessment = complaint?.assessment;
  if (!complaint || !routing || !assessment) return 'not_routable';

  // One conditional put per department, side by side (each is written once, whatever the order).
  const routed = complaint;
  await Promise.all(
    routing.assignments.map((assignment) =>
      recordAssignment(routed, assignment, routing, assessment),
    ),
  );
  // Staff may have acted between the decision and the assignments: bring them up to it.
  const latest = await latestCaseEvent(complaint.id);
  if (latest) await projectAssignments(complaint, latest.state);
  // The register row with its owner and departments (idempotent, like the steps around it).
  await syncRegisterRow(complaint, latest?.state);
  await recordHistoryEvent(complaint.id, {
    type: 'routed',
    at: routing.routedAt,
    actor: 'system',
    details: {
      assignments: routing.assignments,
      ...(routing.outlet ? { outlet: routing.outlet } : {}),
      severity: assessment.severity,
      reasons: assessment.reasons,
      firstResponseDueAt: assessment.firstResponseDueAt,
      resolutionDueAt: assessment.resolutionDueAt,
    },
  });

  if (!complaint.notificationsQueuedAt) {
    const notifications = notificationsFor(routing, {
      acknowledgeCustomer: !complaint.acknowledgementWithheld,
    });
    await sendBatchToQueue(
      'notification',
      notifications.map((notification) => notificationMessageFor(routed.id, notification)),
    );
    await markNotificationsQueued(complaint.id, now.toISOString());
    log.info('complaint routed', {
      complaintId,
      reference: complaint.reference,
      count: notifications.length,
    });
  }
  // Last, so the registry can never hold up the acknowledgement or the alerts.
  await registerComplainant(complaint, now.toISOString());
  return outcome;
}
