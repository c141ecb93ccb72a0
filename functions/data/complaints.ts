/** Complaint items: creation, lookup and the enqueue hand-off. Single-item writes only. */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Complaint, ComplaintDraft } from '#functions/domain/complaint.ts';
import { formatReference } from '#functions/domain/complaint.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { putIfAbsent, setOnce, tableName, writeIf } from './db.ts';
import { fingerprintAttribute } from './idempotency.ts';
import { complaintItem } from './items.ts';
import { indexKeys, keys } from './keys.ts';
import { tableIndexes } from './table.ts';

/** Next reference of the year. Numbers are never reused: a failed write leaves a gap. */
export async function allocateReference(year: number): Promise<string> {
  const result = await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.counter('complaint-reference', year),
      UpdateExpression: 'ADD #value :one',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return formatReference(year, Number(result.Attributes?.value));
}

export interface NewComplaint {
  id: string;
  reference: string;
  draft: ComplaintDraft;
  createdAt: string;
  acknowledgementWithheld?: boolean;
  /** The request's fingerprint when an idempotency key named the complaint (its id). */
  fingerprint?: string;
  /** Status-link digests known at intake (the JSON answer's), stored with the complaint. */
  statusAccessDigests?: string[];
}

/** Writes the complaint once; false when an item with this id already exists. */
export async function createComplaint(input: NewComplaint): Promise<boolean> {
  const complaint: Complaint = {
    ...input.draft,
    id: input.id,
    reference: input.reference,
    status: 'received',
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    ...(input.acknowledgementWithheld ? { acknowledgementWithheld: true } : {}),
    ...(input.statusAccessDigests ? { statusAccessDigests: input.statusAccessDigests } : {}),
  };
  return putIfAbsent(
    complaintItem.toItem(
      {
        ...keys.complaint(input.id),
        ...indexKeys.reference(input.reference),
        // A customer keyed in without an address has no place in the by-customer index.
        ...(input.draft.customer.email
          ? indexKeys.customer(input.draft.customer.email, input.createdAt)
          : {}),
        // Waits in the sweep's index until routing (or the sweep) confirms its message.
        ...indexKeys.due('enqueue', input.createdAt),
        ...(input.fingerprint ? { [fingerprintAttribute]: input.fingerprint } : {}),
      },
      complaint,
    ),
  );
}

/** What a retry with the same idempotency key needs of the complaint its key names. */
export interface ComplaintClaim {
  reference: string;
  createdAt: string;
  fingerprint?: string;
  enqueuedAt?: string;
  statusAccessDigests?: string[];
}

export async function getComplaintClaim(id: string): Promise<ComplaintClaim | undefined> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.complaint(id),
      ConsistentRead: true,
      ProjectionExpression: '#reference, createdAt, enqueuedAt, #fingerprint, statusAccessDigests',
      ExpressionAttributeNames: { '#reference': 'reference', '#fingerprint': fingerprintAttribute },
    }),
  );
  const item = result.Item;
  if (!item) return undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const fingerprint = text(item[fingerprintAttribute]);
  const enqueuedAt = text(item.enqueuedAt);
  const digests = Array.isArray(item.statusAccessDigests)
    ? item.statusAccessDigests.filter((digest): digest is string => typeof digest === 'string')
    : undefined;
  return {
    reference: String(item.reference),
    createdAt: String(item.createdAt),
    ...(fingerprint ? { fingerprint } : {}),
    ...(enqueuedAt ? { enqueuedAt } : {}),
    ...(digests ? { statusAccessDigests: digests } : {}),
  };
}

export async function getComplaint(id: string): Promise<Complaint | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: keys.complaint(id), ConsistentRead: true }),
  );
  return result.Item ? complaintItem.fromItem(result.Item) : undefined;
}

/** The complaint with this reference: `byReference` copies only keys, so one Query, then the item. */
export async function findComplaintByReference(reference: string): Promise<Complaint | undefined> {
  const index = tableIndexes.byReference;
  const result = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byReference',
      KeyConditionExpression: '#key = :key',
      ExpressionAttributeNames: { '#key': index.partitionKey },
      ExpressionAttributeValues: { ':key': indexKeys.reference(reference).referenceKey },
      Limit: 1,
    }),
  );
  const partition = result.Items?.[0]?.pk;
  if (typeof partition !== 'string') return undefined;
  const item = (
    await documentClient().send(
      new GetCommand({ TableName: tableName(), Key: { pk: partition, sk: keys.complaint('').sk } }),
    )
  ).Item;
  return item ? complaintItem.fromItem(item) : undefined;
}

/**
 * Confirms the routing message is on its queue: the complaint leaves the sweep's index.
 * False when an earlier attempt, the sweep or routing confirmed it already. Only the sweep
 * (and a retry finishing a dead request's complaint) writes it; intake leaves the
 * confirmation to routing, which records `enqueuedAt` with its decision.
 */
export function markEnqueued(id: string, at: string): Promise<boolean> {
  return setOnce(keys.complaint(id), 'enqueuedAt', at, { remove: ['dueKey', 'dueAt'] });
}

/** Where one complaint stands for the sweep, read consistently from the item itself. */
export interface EnqueueState {
  reference: string;
  enqueuedAt?: string;
  /** The item itself still sits under `DUE#enqueue`. */
  waiting: boolean;
}

export async function getEnqueueState(id: string): Promise<EnqueueState | undefined> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.complaint(id),
      ConsistentRead: true,
      ProjectionExpression: '#reference, enqueuedAt, dueKey',
      ExpressionAttributeNames: { '#reference': 'reference' },
    }),
  );
  const item = result.Item;
  if (!item) return undefined;
  return {
    reference: String(item.reference),
    ...(typeof item.enqueuedAt === 'string' ? { enqueuedAt: item.enqueuedAt } : {}),
    waiting: item.dueKey === indexKeys.due('enqueue', '').dueKey,
  };
}

/** An item confirmed enqueued that still sits under `DUE#enqueue` leaves the index; false if not so. */
export function removeFromEnqueueIndex(id: string): Promise<boolean> {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.complaint(id),
      UpdateExpression: 'REMOVE dueKey, dueAt',
      ConditionExpression: 'attribute_exists(enqueuedAt) AND dueKey = :enqueue',
      ExpressionAttributeValues: { ':enqueue': indexKeys.due('enqueue', '').dueKey },
    }),
  );
}

export interface EnqueueEntry {
  id: string;
  reference: string;
}

/** Where a page of the sweep's index ended; opaque to callers. */
export type IndexPosition = Record<string, string>;

/**
 * One page of index entries saying a complaint received before `receivedBefore` awaits its
 * routing message, oldest first. The index is eventually consistent on AWS (and dynalite
 * can leave an entry behind after a crash): callers confirm each entry against the item.
 */
export async function complaintsAwaitingEnqueue(
  receivedBefore: string,
  limit: number,
  after?: IndexPosition,
): Promise<{ entries: EnqueueEntry[]; next?: IndexPosition }> {
  const index = tableIndexes.byDue;
  const due = indexKeys.due('enqueue', receivedBefore);
  const result = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byDue',
      KeyConditionExpression: '#key = :key AND #at <= :deadline',
      ExpressionAttributeNames: { '#key': index.partitionKey, '#at': index.sortKey },
      ExpressionAttributeValues: { ':key': due.dueKey, ':deadline': due.dueAt },
      Limit: limit,
      ...(after ? { ExclusiveStartKey: after } : {}),
    }),
  );
  const last = result.LastEvaluatedKey;
  return {
    entries: (result.Items ?? []).map((item) => ({
      id: String(item.id),
      reference: String(item.reference),
    })),
    ...(last
      ? {
          next: Object.fromEntries(
            Object.entries(last).map(([name, value]) => [name, String(value)]),
          ),
        }
      : {}),
  };
}
