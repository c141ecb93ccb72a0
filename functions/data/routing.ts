/**
 * What routing writes: the decision on the complaint (once) and one assignment item per
 * department but the GM (listed per department and status by `byDepartmentStatus`). Each is
 * one conditional single-item write that a repeat leaves as is. The GM, told of every
 * complaint, is listed by the complaint's register row instead (`register.ts`), which is
 * rewritten whenever the complaint moves anyway.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Complaint } from '#functions/domain/complaint.ts';
import type { Assessment, Assignment, RoutingDecision } from '#functions/domain/routing.ts';
import { putIfAbsent, tableName, writeIf } from './db.ts';
import { indexKeys, keys } from './keys.ts';
import { complaintMailMarkers } from './mail-markers.ts';

/**
 * Records the decision and moves the complaint to `routed`, unless it was routed already;
 * false then (or when it is no longer `received`), and the caller reads what was recorded.
 * The complaint enters the open-complaints index, due at its first-response time. Routing
 * proves its message was enqueued, so `enqueuedAt` is set too: intake's own confirmation
 * then finds it set and cannot take the complaint out of the index. `gmQueueOnRegisterRow`
 * says the GM gets no assignment item (see `assignmentsWithItems`).
 */
export async function recordRouting(
  complaintId: string,
  decision: RoutingDecision,
  assessment: Assessment,
): Promise<boolean> {
  const due = indexKeys.due('open', assessment.firstResponseDueAt);
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.complaint(complaintId),
      UpdateExpression:
        'SET #status = :routed, routing = :routing, assessment = :assessment, updatedAt = :now, ' +
        'enqueuedAt = if_not_exists(enqueuedAt, :now), dueKey = :dueKey, dueAt = :dueAt, ' +
        'gmQueueOnRegisterRow = :true',
      ConditionExpression:
        'attribute_exists(pk) AND attribute_not_exists(routing) AND #status = :received',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':routed': 'routed',
        ':received': 'received',
        ':routing': decision,
        ':assessment': assessment,
        ':now': decision.routedAt,
        ':dueKey': due.dueKey,
        ':dueAt': due.dueAt,
        ':true': true,
      },
    }),
  );
}

/**
 * The assignments kept as items of their own: every department's but the GM's, whose queue
 * row is the register row. A complaint routed before that (no `gmQueueOnRegisterRow`) keeps
 * its GM item, still projected, and its register row stays out of the index: one GM row each.
 */
export function assignmentsWithItems(
  complaint: Pick<Complaint, 'routing' | 'gmQueueOnRegisterRow'>,
): Assignment[] {
  const gmOnRegister = gmListedByRegisterRow(complaint);
  return (complaint.routing?.assignments ?? []).filter(
    (assignment) => !(gmOnRegister && assignment.department === 'gm'),
  );
}

/** The register row carries the GM's place in `byDepartmentStatus` (see `putRegisterRow`). */
export function gmListedByRegisterRow(
  complaint: Pick<Complaint, 'routing' | 'gmQueueOnRegisterRow'>,
): boolean {
  return (
    complaint.gmQueueOnRegisterRow === true &&
    (complaint.routing?.assignments ?? []).some((assignment) => assignment.department === 'gm')
  );
}

export interface AssignmentItem extends Assignment {
  complaintId: string;
  reference: string;
  status: 'routed';
  category: Complaint['category'];
  severity: Assessment['severity'];
  firstResponseDueAt: string;
  resolutionDueAt: string;
  /** The deadline the SLA clock watches now; case handling moves it (see `cases.ts`). */
  nextDueAt?: string;
  /** Shown in the staff queue without reading the complaint. */
  subject: string;
  assignedAt: string;
}

/** The department's copy of its part in the complaint; written once. */
export async function recordAssignment(
  complaint: Complaint,
  assignment: Assignment,
  decision: RoutingDecision,
  assessment: Assessment,
): Promise<boolean> {
  const item: AssignmentItem = {
    ...assignment,
    complaintId: complaint.id,
    reference: complaint.reference,
    status: 'routed',
    category: complaint.category,
    severity: assessment.severity,
    firstResponseDueAt: assessment.firstResponseDueAt,
    resolutionDueAt: assessment.resolutionDueAt,
    nextDueAt: assessment.firstResponseDueAt,
    subject: complaint.subject,
    assignedAt: decision.routedAt,
  };
  return putIfAbsent({
    ...keys.assignment(complaint.id, assignment.department),
    ...indexKeys.departmentStatus(
      assignment.department,
      'routed',
      complaint.createdAt,
      complaint.id,
    ),
    ...item,
  });
}

/**
 * The notifications of the complaint that have a marker, by key (`routed:department:gm`): a
 * consumer took their message. Keys only, from the complaint's partition.
 */
export async function notificationMarkers(complaintId: string): Promise<Set<string>> {
  return new Set((await complaintMailMarkers(complaintId)).map((marker) => marker.key));
}

/** SES refused a notification for good: the complaint says so, once per notification. */
export async function recordUndelivered(complaintId: string, notification: string): Promise<void> {
  await writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.complaint(complaintId),
      UpdateExpression:
        'SET undeliveredNotifications = list_append(if_not_exists(undeliveredNotifications, :empty), :one)',
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(undeliveredNotifications) OR NOT contains(undeliveredNotifications, :key))',
      ExpressionAttributeValues: { ':empty': [], ':one': [notification], ':key': notification },
    }),
  );
}
