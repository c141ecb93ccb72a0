/**
 * Routing, as idempotent steps: (1) decide and record the decision on the complaint, once:
 * one conditional write that also moves it to the open-complaints index and is its `routed`
 * history entry (the decision is never changed, so the history shows it from there); (2)
 * write one assignment per department but the GM; (3) the register row, which is the GM's
 * queue row (the GM is told of every complaint); (4) queue one notification per
 * recipient. A redelivered message finds each step done and repeats none; a crash part-way
 * leaves the later steps to the redelivery, which queues only the notifications that have
 * no marker yet (a marker exists once its message was taken), and a notification queued
 * twice is still sent once (the notification consumer's markers see to that). The customer
 * joins the registry the yearly survey writes to (an idempotent upsert).
 *
 * Intake sends the message beside the complaint's put, so the complaint may not be there
 * yet (or ever: the put failed). Routing then looks again within the same delivery, after
 * 25 ms, doubling to 1 s, until intake could no longer write it (its timeout and a margin
 * after the message's `SentTimestamp`), and then drops the message with a log line: a
 * failed put leaves nothing to route, and the message never reaches the dead-letter queue.
 * Looking again in the invocation, rather than handing the record back to the queue, routes
 * the usual case (a put a few milliseconds behind) at once, spends none of the record's
 * receives and needs no queue URL; only a failed put holds its batch (for intake's timeout
 * and the margin at most). A stored complaint is always routed: by this message, a
 * duplicate, or the sweep.
 */
import { notificationMessageFor } from '#functions/contract/messages.ts';
import { latestCaseEvent, projectAssignments } from '#functions/data/cases.ts';
import { getComplaint } from '#functions/data/complaints.ts';
import { getRoutingPolicy, listOutlets } from '#functions/data/configuration.ts';
import {
  assignmentsWithItems,
  notificationMarkers,
  recordAssignment,
  recordRouting,
} from '#functions/data/routing.ts';
import { pauseBeforeLookingAgain } from '#functions/domain/early-routing.ts';
import { notificationKey } from '#functions/domain/notifications.ts';
import { decideRouting, notificationsFor } from '#functions/domain/routing.ts';
import { log } from '#functions/shared/log.ts';
import { sendBatchToQueue } from '#functions/shared/queues.ts';
import { functions } from '#functions/wiring.ts';
import { registerComplainant } from './customer-registry.ts';
import { syncRegisterRow } from './register.ts';

/** `never_stored`: the message's complaint did not appear while intake could write it. */
export type RoutingOutcome = 'routed' | 'already_routed' | 'not_routable' | 'never_stored';

/** The longest intake runs: the public form's, or staff keying a complaint in. */
export const intakeTimeoutSeconds = Math.max(
  functions.submitComplaint.timeoutSeconds,
  functions.staffCases.timeoutSeconds,
);

/**
 * Routes the complaint of a message sent at `sentAt` (epoch ms, SQS's `SentTimestamp`),
 * once, however often the message comes.
 */
export async function routeComplaint(
  complaintId: string,
  now: Date,
  sentAt: number = now.getTime(),
): Promise<RoutingOutcome> {
  let complaint = await complaintOfMessage(complaintId, sentAt);
  if (!complaint) return 'never_stored';

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

  // One conditional put per department, side by side (each is written once, whatever the order);
  // none for the GM, whose queue row is the register row written below.
  const routed = complaint;
  await Promise.all(
    assignmentsWithItems(routed).map((assignment) =>
      recordAssignment(routed, assignment, routing, assessment),
    ),
  );
  // Staff may have acted between the decision and the assignments: bring them up to it.
  const latest = await latestCaseEvent(complaint.id);
  if (latest) await projectAssignments(complaint, latest.state);
  // The register row with its owner and departments, and the GM's place in the queue
  // (idempotent, like the steps around it).
  await syncRegisterRow(complaint, latest?.state);
  // Complaints routed before the decision write stood for it kept a mark once all were queued.
  if (!complaint.notificationsQueuedAt) {
    const all = notificationsFor(routing, {
      acknowledgeCustomer: !complaint.acknowledgementWithheld,
    });
    // The first delivery to record the decision queues them all; a later one (a redelivery
    // after a crash, a duplicate) only those whose message no consumer has taken yet.
    const taken = outcome === 'routed' ? new Set<string>() : await notificationMarkers(routed.id);
    const notifications = all.filter((notification) => !taken.has(notificationKey(notification)));
    if (notifications.length > 0) {
      await sendBatchToQueue(
        'notification',
        notifications.map((notification) => notificationMessageFor(routed.id, notification)),
      );
    }
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

/** The message's complaint, looked for again while it may still appear (see above). */
async function complaintOfMessage(complaintId: string, sentAt: number) {
  for (let looks = 1; ; looks++) {
    const complaint = await getComplaint(complaintId);
    if (complaint) return complaint;
    const ageMs = Date.now() - sentAt;
    const pause = pauseBeforeLookingAgain(looks, ageMs, intakeTimeoutSeconds);
    if (pause === undefined) {
      log.warn('routing message for a complaint never stored; dropped', {
        complaintId,
        durationMs: ageMs,
      });
      return undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
