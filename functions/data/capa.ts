/**
 * CAPA's writes and reads, in the pattern of case handling (`cases.ts`): each step is one
 * event keyed by the CAPA's next version and written only if absent (that write decides a
 * race); the CAPA item is a projection of the latest event, brought up to its version by
 * an update conditional on `version < new`, so a crash after the event is repaired by the
 * next read or step. A year's CAPA share one partition; the overdue ones wait in `byDue`.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import {
  type CapaState,
  capaActions,
  capaSources,
  capaStatuses,
  capaTypes,
  formatCapaReference,
  nextActionDue,
} from '#functions/domain/capa.ts';
import { departmentCodes } from '#functions/domain/departments.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { putIfAbsent, queryAllPages, tableName, writeIf } from './db.ts';
import { indexKeys, keys } from './keys.ts';
import { tableIndexes, ttlAttribute } from './table.ts';

/** Next CAPA reference of the year; a failed creation leaves a gap, never a reuse. */
export async function allocateCapaReference(year: number): Promise<string> {
  const result = await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.counter('capa-reference', year),
      UpdateExpression: 'ADD #value :one',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return formatCapaReference(year, Number(result.Attributes?.value));
}

const plannedActionSchema = z.lazy(() =>
  z.object({
    description: z.string(),
    department: z.enum(departmentCodes),
    dueDate: z.string(),
    doneAt: z.optional(z.string()),
    doneBy: z.optional(z.string()),
    result: z.optional(z.string()),
  }),
);

/** The CAPA's state as an object schema (its keys name every state attribute). */
const capaStateObject = () =>
  z.object({
    status: z.enum(capaStatuses),
    version: z.int(),
    type: z.enum(capaTypes),
    source: z.enum(capaSources),
    sourceNote: z.optional(z.string()),
    problem: z.string(),
    rootCause: z.string(),
    actions: z.array(plannedActionSchema),
    effectiveness: z.object({ method: z.string(), dueDate: z.string() }),
    complaints: z.array(z.string()),
    category: z.optional(z.string()),
    productModel: z.optional(z.string()),
    planApprovedAt: z.optional(z.string()),
    verification: z.optional(
      z.object({
        verdict: z.enum(['effective', 'not_effective']),
        evidence: z.string(),
        at: z.string(),
        by: z.string(),
      }),
    ),
    notEffectiveCount: z.int(),
    closedAt: z.optional(z.string()),
  });
export const capaStateSchema = z.lazy(capaStateObject);
let stateAttributes: string[] | undefined;
/** Every state attribute's name, read off the schema on first use. */
function capaStateAttributes(): string[] {
  stateAttributes ??= Object.keys(capaStateObject().shape);
  return stateAttributes;
}

const staffActor = z.lazy(() =>
  z.object({
    kind: z.literal('staff'),
    email: z.string(),
    name: z.string(),
    roles: z.array(z.enum(departmentCodes)),
  }),
);
export type CapaActor = z.output<typeof staffActor>;

export const capaEventTypes = ['create', ...capaActions] as const;

const capaEventSchema = z.lazy(() =>
  z.object({
    reference: z.string(),
    year: z.int(),
    version: z.int(),
    type: z.enum(capaEventTypes),
    at: z.string(),
    actor: staffActor,
    /** The step's fields as validated at the boundary. */
    fields: z.record(z.string(), z.unknown()),
    /** The CAPA as this event left it. */
    state: capaStateSchema,
  }),
);
export type CapaEvent = z.output<typeof capaEventSchema>;

const capaItemSchema = z.lazy(() =>
  z.extend(capaStateObject(), {
    reference: z.string(),
    year: z.int(),
    createdAt: z.string(),
    createdBy: staffActor,
    updatedAt: z.string(),
  }),
);
export type CapaItem = z.output<typeof capaItemSchema>;

/** The one write that serialises steps: false when this version was taken already. */
/** What a keyed creation request took: the reference, and the fingerprint of what it asked. */
export interface CapaRequest {
  reference: string;
  fingerprint: string;
}

const capaRequestSchema = z.lazy(() =>
  z.object({ reference: z.string(), fingerprint: z.string() }),
);

/** Binds the key to its reference, unless a twin did first; kept for `days`, as retries are. */
export function claimCapaRequest(
  digest: string,
  request: CapaRequest,
  now: Date,
  days: number,
): Promise<boolean> {
  return putIfAbsent({
    ...keys.capaRequest(digest),
    ...request,
    createdAt: now.toISOString(),
    [ttlAttribute]: Math.floor(now.getTime() / 1000) + days * 86_400,
  });
}

export async function getCapaRequest(digest: string): Promise<CapaRequest | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: keys.capaRequest(digest), ConsistentRead: true }),
  );
  return result.Item ? z.parse(capaRequestSchema, result.Item) : undefined;
}

export function appendCapaEvent(event: CapaEvent): Promise<boolean> {
  return putIfAbsent({ ...keys.capaEvent(event.year, event.reference, event.version), ...event });
}

export async function getCapaItem(year: number, reference: string): Promise<CapaItem | undefined> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.capa(year, reference),
      ConsistentRead: true,
    }),
  );
  return result.Item ? z.parse(capaItemSchema, result.Item) : undefined;
}

/** The event with the highest version: the truth the item follows. */
export async function latestCapaEvent(
  year: number,
  reference: string,
): Promise<CapaEvent | undefined> {
  const prefix = keys.capaEventPrefix(year, reference);
  const result = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': prefix.pk, ':prefix': prefix.skPrefix },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  const item = result.Items?.[0];
  return item ? z.parse(capaEventSchema, item) : undefined;
}

export async function capaEvents(year: number, reference: string): Promise<CapaEvent[]> {
  const prefix = keys.capaEventPrefix(year, reference);
  const items = await queryAllPages({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': prefix.pk, ':prefix': prefix.skPrefix },
    ConsistentRead: true,
  });
  return items.map((item) => z.parse(capaEventSchema, item));
}

/**
 * Brings the CAPA item to the event's state unless it is there or beyond (the first event
 * creates it). Its place in `byDue` follows the earliest undone action, and leaves when none
 * is left.
 */
export async function projectCapa(event: CapaEvent): Promise<boolean> {
  const { state } = event;
  // Every attribute by a placeholder name: `type`, `source`, `status`, `year` are reserved words.
  // Every state attribute, the absent ones as undefined: a cleared one (a revision's verdict) is removed.
  const attributes: Record<string, unknown> = {
    ...Object.fromEntries(capaStateAttributes().map((name) => [name, undefined])),
    ...state,
    updatedAt: event.at,
    reference: event.reference,
    year: event.year,
  };
  if (event.type === 'create') {
    attributes.createdAt = event.at;
    attributes.createdBy = event.actor;
  }
  const due = nextActionDue(state);
  const index = due ? indexKeys.due('capa', due) : undefined;
  attributes.dueKey = index?.dueKey;
  attributes.dueAt = index?.dueAt;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':version': state.version };
  const set: string[] = [];
  const remove: string[] = [];
  Object.entries(attributes).forEach(([name, value], position) => {
    names[`#a${position}`] = name;
    if (value === undefined) remove.push(`#a${position}`);
    else {
      set.push(`#a${position} = :a${position}`);
      values[`:a${position}`] = value;
    }
  });
  const versionName = Object.entries(names).find(([, name]) => name === 'version')?.[0] ?? '';
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.capa(event.year, event.reference),
      UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ConditionExpression: `attribute_not_exists(${versionName}) OR ${versionName} < :version`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
}

/**
 * Adds the CAPA's reference to a complaint's `capaReferences`, once: add-only and
 * conditional, so repeating it (after a crash, or a second CAPA's link) adds nothing twice.
 */
export async function linkComplaintToCapa(complaintId: string, capaReference: string) {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.complaint(complaintId),
      UpdateExpression:
        'SET capaReferences = list_append(if_not_exists(capaReferences, :empty), :one)',
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(capaReferences) OR NOT contains(capaReferences, :reference))',
      ExpressionAttributeValues: {
        ':empty': [],
        ':one': [capaReference],
        ':reference': capaReference,
      },
    }),
  );
}

/** Every CAPA of a year (a bounded set: one partition, a few dozen items). */
export async function capaItemsOfYear(year: number): Promise<CapaItem[]> {
  const prefix = keys.capaItems(year);
  const items = await queryAllPages({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': prefix.pk, ':prefix': prefix.skPrefix },
  });
  return items.map((item) => z.parse(capaItemSchema, item));
}

/** CAPA with an undone action due at or before `now`, from `byDue`, oldest first. */
export async function capaDue(now: string): Promise<{ year: number; reference: string }[]> {
  const index = tableIndexes.byDue;
  const due = indexKeys.due('capa', now);
  const items = await queryAllPages({
    IndexName: 'byDue',
    KeyConditionExpression: '#key = :key AND #at <= :now',
    ExpressionAttributeNames: { '#key': index.partitionKey, '#at': index.sortKey },
    ExpressionAttributeValues: { ':key': due.dueKey, ':now': due.dueAt },
  });
  return items.map((item) => z.parse(z.object({ year: z.int(), reference: z.string() }), item));
}

const escalationSchema = z.lazy(() =>
  z.object({
    reference: z.string(),
    action: z.int(),
    department: z.enum(departmentCodes),
    dueAt: z.string(),
    at: z.string(),
    notify: z.array(z.enum(departmentCodes)),
  }),
);
export type CapaEscalation = z.output<typeof escalationSchema>;

/** Records the escalation of one overdue action, once; false when it was recorded already. */
export function recordCapaEscalation(year: number, escalation: CapaEscalation): Promise<boolean> {
  return putIfAbsent({
    ...keys.capaEscalation(year, escalation.reference, escalation.action),
    ...escalation,
  });
}

export async function capaEscalations(year: number, reference: string): Promise<CapaEscalation[]> {
  const prefix = keys.capaEscalationPrefix(year, reference);
  const items = await queryAllPages({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': prefix.pk, ':prefix': prefix.skPrefix },
    ConsistentRead: true,
  });
  return items.map((item) => z.parse(escalationSchema, item));
}

export type { CapaState };
