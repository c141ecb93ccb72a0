/**
 * Case handling's writes. Each action is one event keyed by the complaint's next version
 * and written only if absent: that single conditional write decides which of two
 * concurrent actions happened. The complaint item and its assignment items are projections
 * of the latest event, brought up to its version by idempotent conditional updates (only
 * ever forward), so a crash after the event is repaired by the next action or read.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { type CaseState, caseActions, nextDeadline } from '#functions/domain/case-lifecycle.ts';
import {
  type Complaint,
  type ComplaintStatus,
  categories,
  statuses,
} from '#functions/domain/complaint.ts';
import { type DepartmentCode, departmentCodes } from '#functions/domain/departments.ts';
import { remedyTypes, severities } from '#functions/domain/routing.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { putIfAbsent, tableName, writeIf } from './db.ts';
import { indexKeys, keys } from './keys.ts';
import { assignmentsWithItems } from './routing.ts';
import { tableIndexes } from './table.ts';

const proposalSchema = z.lazy(() =>
  z.object({
    remedy: z.object({
      type: z.enum(remedyTypes),
      amount: z.optional(z.number()),
      currency: z.optional(z.string()),
    }),
    response: z.object({ text: z.string() }),
    approval: z.enum(['not_needed', 'pending', 'approved', 'rejected']),
    proposedAt: z.string(),
  }),
);

export const caseStateSchema = z.lazy(() =>
  z.object({
    status: z.enum(statuses),
    version: z.int(),
    firstResponseAt: z.optional(z.string()),
    proposal: z.optional(proposalSchema),
    respondedAt: z.optional(z.string()),
    closedAt: z.optional(z.string()),
  }),
);

const actorSchema = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('staff'),
      email: z.string(),
      name: z.string(),
      roles: z.array(z.enum(departmentCodes)),
    }),
    z.object({ kind: z.literal('customer') }),
    z.object({ kind: z.literal('system') }),
  ]),
);
export type CaseActor = z.output<typeof actorSchema>;

export const caseEventTypes = [...caseActions, 'customer_answer', 'closed_no_reply'] as const;

const caseEventSchema = z.lazy(() =>
  z.object({
    complaintId: z.string(),
    version: z.int(),
    type: z.enum(caseEventTypes),
    at: z.string(),
    actor: actorSchema,
    /** The action's fields as validated at the boundary. */
    fields: z.record(z.string(), z.unknown()),
    /** The case as this event left it. */
    state: caseStateSchema,
    /** The retried request with this key finds this event and gets its answer. */
    idempotencyKey: z.optional(z.string()),
    fingerprint: z.optional(z.string()),
  }),
);
export type CaseEvent = z.output<typeof caseEventSchema>;

/** The state the complaint item says it is in (version 0 before any action). */
export function caseStateOf(complaint: Complaint): CaseState {
  return {
    status: complaint.status,
    version: complaint.version ?? 0,
    ...(complaint.firstResponseAt ? { firstResponseAt: complaint.firstResponseAt } : {}),
    ...(complaint.proposal ? { proposal: complaint.proposal } : {}),
    ...(complaint.respondedAt ? { respondedAt: complaint.respondedAt } : {}),
    ...(complaint.closedAt ? { closedAt: complaint.closedAt } : {}),
  };
}

/** The one write that serialises actions: false when this version was taken already. */
export function appendCaseEvent(event: CaseEvent): Promise<boolean> {
  return putIfAbsent({ ...keys.caseEvent(event.complaintId, event.version), ...event });
}

export async function getCaseEvent(
  complaintId: string,
  version: number,
): Promise<CaseEvent | undefined> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.caseEvent(complaintId, version),
      ConsistentRead: true,
    }),
  );
  return result.Item ? z.parse(caseEventSchema, result.Item) : undefined;
}

/** The event with the highest version: the truth the projections follow. */
export async function latestCaseEvent(complaintId: string): Promise<CaseEvent | undefined> {
  const result = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.complaintPartition(complaintId),
        ':prefix': keys.caseEventPrefix(),
      },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  const item = result.Items?.[0];
  return item ? z.parse(caseEventSchema, item) : undefined;
}

export function parseCaseEvent(item: unknown): CaseEvent {
  return z.parse(caseEventSchema, item);
}

const stateAttributes = ['firstResponseAt', 'proposal', 'respondedAt', 'closedAt'] as const;

/**
 * Brings the complaint item to `state` unless it is there or beyond. The open-complaints
 * index (`byDue`) follows the next deadline, and leaves when none is left.
 */
export async function projectComplaint(
  complaint: Pick<Complaint, 'id' | 'assessment'>,
  state: CaseState,
  at: string,
): Promise<boolean> {
  const values: Record<string, unknown> = {
    ':status': state.status,
    ':version': state.version,
    ':at': at,
  };
  const set = ['#status = :status', 'version = :version', 'updatedAt = :at'];
  const remove: string[] = [];
  for (const name of stateAttributes) {
    const value = state[name];
    if (value === undefined) remove.push(name);
    else {
      set.push(`${name} = :${name}`);
      values[`:${name}`] = value;
    }
  }
  const deadline = complaint.assessment ? nextDeadline(state, complaint.assessment) : undefined;
  if (deadline) {
    const due = indexKeys.due('open', deadline.dueAt);
    set.push('dueKey = :dueKey', 'dueAt = :dueAt');
    values[':dueKey'] = due.dueKey;
    values[':dueAt'] = due.dueAt;
  } else if (complaint.assessment) {
    remove.push('dueKey', 'dueAt');
  }
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.complaint(complaint.id),
      UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(version) OR version < :version)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
    }),
  );
}

/**
 * Brings each department's assignment (and its place in `byDepartmentStatus`) to `state`.
 * Only those with an item: the GM's row is the register row on complaints routed since it
 * is, and a conditional write on a missing item would still cost a write unit.
 */
export async function projectAssignments(
  complaint: Pick<
    Complaint,
    'id' | 'createdAt' | 'routing' | 'assessment' | 'gmQueueOnRegisterRow'
  >,
  state: CaseState,
): Promise<void> {
  const deadline = complaint.assessment ? nextDeadline(state, complaint.assessment) : undefined;
  await Promise.all(
    assignmentsWithItems(complaint).map(({ department }) => {
      const index = indexKeys.departmentStatus(
        department,
        state.status,
        complaint.createdAt,
        complaint.id,
      );
      return writeIf(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.assignment(complaint.id, department),
          UpdateExpression: `SET #status = :status, version = :version, departmentStatusKey = :key${
            deadline ? ', nextDueAt = :due' : ''
          }${deadline ? '' : ' REMOVE nextDueAt'}`,
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(version) OR version < :version)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': state.status,
            ':version': state.version,
            ':key': index.departmentStatusKey,
            ...(deadline ? { ':due': deadline.dueAt } : {}),
          },
        }),
      );
    }),
  );
}

/** Every item of the complaint's partition: the complaint, assignments, history, markers. */
export async function complaintPartition(complaintId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.complaintPartition(complaintId) },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The sweep records an escalation level once; false when it was recorded already. */
export async function recordEscalation(complaintId: string, level: string): Promise<boolean> {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.complaint(complaintId),
      UpdateExpression: 'SET escalations = list_append(if_not_exists(escalations, :empty), :one)',
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(escalations) OR NOT contains(escalations, :level))',
      ExpressionAttributeValues: { ':empty': [], ':one': [level], ':level': level },
    }),
  );
}

/**
 * What `byDepartmentStatus` copies of an assignment item or of a register row (the GM's
 * row): the complaint's id comes from the sort key and the department from the partition.
 */
const indexRowSchema = z.lazy(() =>
  z.object({
    reference: z.string(),
    status: z.enum(statuses),
    category: z.enum(categories),
    severity: z.enum(severities),
    subject: z.optional(z.string()),
    firstResponseDueAt: z.string(),
    resolutionDueAt: z.optional(z.string()),
    nextDueAt: z.optional(z.string()),
    departmentSort: z.string(),
  }),
);
export type AssignmentRow = z.output<typeof indexRowSchema> & {
  complaintId: string;
  department: DepartmentCode;
};

/**
 * One department's complaints in one status, newest first, from `byDepartmentStatus`;
 * `before` is the sort key (`createdAt#id`) to continue below. The GM's partitions hold
 * register rows (and the assignment items of complaints routed before those did).
 */
export async function assignmentsIn(
  department: DepartmentCode,
  status: ComplaintStatus,
  limit: number,
  before?: string,
): Promise<AssignmentRow[]> {
  const index = tableIndexes.byDepartmentStatus;
  const partition = indexKeys.departmentStatus(department, status, '', '').departmentStatusKey;
  const result = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byDepartmentStatus',
      KeyConditionExpression: before ? '#key = :key AND #sort < :before' : '#key = :key',
      ExpressionAttributeNames: {
        '#key': index.partitionKey,
        ...(before ? { '#sort': index.sortKey } : {}),
      },
      ExpressionAttributeValues: { ':key': partition, ...(before ? { ':before': before } : {}) },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (result.Items ?? []).map((item) => {
    const row = z.parse(indexRowSchema, item);
    const complaintId = indexKeys.departmentSortParts(row.departmentSort)?.id;
    if (!complaintId) throw new Error(`Malformed queue sort key in ${partition}`);
    return { ...row, complaintId, department };
  });
}

/** Open complaints whose next deadline is at or before `now`, from `byDue`, oldest first. */
export async function complaintsDue(now: string, limit: number, after?: string) {
  const index = tableIndexes.byDue;
  const due = indexKeys.due('open', now);
  const result = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byDue',
      KeyConditionExpression: '#key = :key AND #at <= :now',
      ExpressionAttributeNames: { '#key': index.partitionKey, '#at': index.sortKey },
      ExpressionAttributeValues: { ':key': due.dueKey, ':now': due.dueAt },
      Limit: limit,
      ...(after
        ? { ExclusiveStartKey: z.parse(z.record(z.string(), z.unknown()), JSON.parse(after)) }
        : {}),
    }),
  );
  return {
    ids: (result.Items ?? []).map((item) => String(item.id)),
    next: result.LastEvaluatedKey ? JSON.stringify(result.LastEvaluatedKey) : undefined,
  };
}

/** Every email of the event of `version` is queued: later repairs queue none of them again. */
export async function markCaseNotified(complaintId: string, version: number): Promise<void> {
  await writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.complaint(complaintId),
      UpdateExpression: 'SET notifiedVersion = :version',
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(notifiedVersion) OR notifiedVersion < :version)',
      ExpressionAttributeValues: { ':version': version },
    }),
  );
}

/** Every case event of a complaint, oldest first. */
export async function caseEvents(complaintId: string): Promise<CaseEvent[]> {
  const events: CaseEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.complaintPartition(complaintId),
          ':prefix': keys.caseEventPrefix(),
        },
        ExclusiveStartKey: start,
      }),
    );
    events.push(...(page.Items ?? []).map(parseCaseEvent));
    start = page.LastEvaluatedKey;
  } while (start);
  return events;
}
