/**
 * Complaint items: creation, lookup and the enqueue hand-off. Single-item writes only. A
 * complaint is two items: the complaint (small, rewritten as it moves) and its description
 * (written once); every read here returns them as one `Complaint`.
 */
import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Complaint, ComplaintDraft } from '#functions/domain/complaint.ts';
import { formatReference, statuses } from '#functions/domain/complaint.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { putIfAbsent, setOnce, tableName, writeIf } from './db.ts';
import { fingerprintAttribute } from './idempotency.ts';
import { complaintItem, type StoredComplaint, storedComplaintItem } from './items.ts';
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
  draft: ComplaintDraft;
  createdAt: string;
  /** The request's fingerprint when an idempotency key named the complaint (its id). */
  fingerprint?: string;
  /** Status-link digests known at intake (the JSON answer's), stored with the complaint. */
  statusAccessDigests?: string[];
}

/** What intake numbers a complaint with: taken while the description is written. */
export interface ComplaintNumbers {
  reference: string;
  acknowledgementWithheld: boolean;
}

/** `exists`: the id's complaint is there already; `key_reused`: its key named another request. */
export type CreateOutcome = 'created' | 'exists' | 'key_reused';

/**
 * Writes the complaint once, in two items: first what nothing rewrites (the description,
 * the request's fingerprint, the answer's status-link digest), then the complaint item, whose
 * conditional put is the id's claim. The description goes first so that a complaint never
 * lacks it; a put that fails on an error takes its description back. A crash between the
 * two leaves a description no complaint names (its random id handed out to no one) or, for
 * an idempotency key, the description its retry finds and completes. The description's
 * write and the complaint's `numbering` (the reference counter and the acknowledgement) do not
 * depend on each other: they share one round trip, and a numbering that fails takes the
 * description back too. `alongside` (intake's routing message) starts with the complaint's
 * put, whenever the put is made, and is awaited with it: the put's error wins over its own.
 */
export async function createComplaint(
  input: NewComplaint,
  numbering: Promise<ComplaintNumbers>,
  alongside?: (numbers: ComplaintNumbers) => Promise<void>,
): Promise<CreateOutcome> {
  const { description, ...draft } = input.draft;
  const descriptionKey = keys.complaintDescription(input.id);
  const [written, numbered] = await Promise.allSettled([
    putIfAbsent({
      ...descriptionKey,
      description,
      ...(input.fingerprint ? { [fingerprintAttribute]: input.fingerprint } : {}),
      ...(input.statusAccessDigests ? { statusAccessDigests: input.statusAccessDigests } : {}),
    }),
    numbering,
  ]);
  if (numbered.status === 'rejected') {
    if (written.status === 'fulfilled' && written.value) await dropDescription(input.id);
    throw numbered.reason;
  }
  if (written.status === 'rejected') throw written.reason;
  const wroteDescription = written.value;
  const numbers = numbered.value;
  if (!wroteDescription) {
    // The id's key was used before: by this very request (a retry) or by another one.
    const stored = await complaintItems(input.id, { consistent: true });
    if (stored.description?.[fingerprintAttribute] !== input.fingerprint) {
      // Its complaint answers the retry; with none, the key's first request died between its
      // two writes, and its key is spent all the same.
      return stored.complaint ? 'exists' : 'key_reused';
    }
  }
  const complaint: StoredComplaint = {
    ...draft,
    id: input.id,
    reference: numbers.reference,
    status: 'received',
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    ...(numbers.acknowledgementWithheld ? { acknowledgementWithheld: true } : {}),
  };
  let beside: PromiseSettledResult<void> | undefined;
  let created: boolean;
  try {
    const [put, alongsidePut] = await Promise.allSettled([
      putIfAbsent(
        storedComplaintItem.toItem(
          {
            ...keys.complaint(input.id),
            ...indexKeys.reference(numbers.reference),
            // A customer keyed in without an address has no place in the by-customer index.
            ...(input.draft.customer.email
              ? indexKeys.customer(input.draft.customer.email, input.createdAt)
              : {}),
            // No entry in the sweep's index: the sweep walks the year's references instead.
          },
          complaint,
        ),
      ),
      alongside?.(numbers),
    ]);
    beside = alongsidePut;
    if (put.status === 'rejected') throw put.reason;
    created = put.value;
    if (!created && wroteDescription) await dropDescriptionOfInlineComplaint(input.id);
  } catch (error) {
    if (wroteDescription) await dropDescription(input.id);
    throw error;
  }
  // After the put's outcome: a failure beside it never takes a stored complaint's description.
  if (beside?.status === 'rejected') throw beside.reason;
  return created ? 'created' : 'exists';
}

/** Takes back a description whose complaint was not written (best effort: the error wins). */
async function dropDescription(id: string): Promise<void> {
  await documentClient()
    .send(new DeleteCommand({ TableName: tableName(), Key: keys.complaintDescription(id) }))
    .catch(() => undefined);
}

/**
 * A retry's description item written beside a complaint stored before descriptions had
 * their own item (its description inline) is taken back: it must not stand for that
 * complaint's own text. (A complaint stored since always has its description item first.)
 */
async function dropDescriptionOfInlineComplaint(id: string): Promise<void> {
  const stored = await complaintItems(id, {
    consistent: true,
    projection: '#description',
    names: { '#description': 'description' },
  });
  if (typeof stored.complaint?.description !== 'string') return;
  await documentClient().send(
    new DeleteCommand({ TableName: tableName(), Key: keys.complaintDescription(id) }),
  );
}

/** The complaint item and its description item, as stored (raw), in one Query. */
async function complaintItems(
  id: string,
  options: { consistent: boolean; projection?: string; names?: Record<string, string> },
): Promise<{ complaint?: Record<string, unknown>; description?: Record<string, unknown> }> {
  const complaintKey = keys.complaint(id);
  const result = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :complaint AND :description',
      ExpressionAttributeValues: {
        ':pk': complaintKey.pk,
        ':complaint': complaintKey.sk,
        ':description': keys.complaintDescription(id).sk,
      },
      ConsistentRead: options.consistent,
      ...(options.projection
        ? {
            ProjectionExpression: `sk, ${options.projection}`,
            ...(options.names ? { ExpressionAttributeNames: options.names } : {}),
          }
        : {}),
    }),
  );
  const items = result.Items ?? [];
  return {
    complaint: items.find((item) => item.sk === complaintKey.sk),
    description: items.find((item) => item.sk === keys.complaintDescription(id).sk),
  };
}

function digestsOf(item: Record<string, unknown> | undefined): string[] {
  const digests = item?.statusAccessDigests;
  return Array.isArray(digests)
    ? digests.filter((digest): digest is string => typeof digest === 'string')
    : [];
}

/** The whole complaint from its two items (a complaint stored before the split has one). */
function mergedComplaint(stored: {
  complaint?: Record<string, unknown>;
  description?: Record<string, unknown>;
}): Complaint | undefined {
  if (!stored.complaint) return undefined;
  const digests = [...digestsOf(stored.complaint), ...digestsOf(stored.description)];
  return complaintItem.fromItem({
    ...stored.complaint,
    ...(stored.description ? { description: stored.description.description } : {}),
    ...(digests.length > 0 ? { statusAccessDigests: digests } : {}),
  });
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
  const stored = await complaintItems(id, {
    consistent: true,
    projection: '#reference, createdAt, enqueuedAt, #fingerprint, statusAccessDigests',
    names: { '#reference': 'reference', '#fingerprint': fingerprintAttribute },
  });
  const item = stored.complaint;
  if (!item) return undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  // Complaints stored before the split keep their fingerprint on the complaint item.
  const fingerprint =
    text(stored.description?.[fingerprintAttribute]) ?? text(item[fingerprintAttribute]);
  const enqueuedAt = text(item.enqueuedAt);
  const digests = [...digestsOf(item), ...digestsOf(stored.description)];
  return {
    reference: String(item.reference),
    createdAt: String(item.createdAt),
    ...(fingerprint ? { fingerprint } : {}),
    ...(enqueuedAt ? { enqueuedAt } : {}),
    ...(digests.length > 0 ? { statusAccessDigests: digests } : {}),
  };
}

/** The complaint, read consistently: its item and its description item in one Query. */
export async function getComplaint(id: string): Promise<Complaint | undefined> {
  return mergedComplaint(await complaintItems(id, { consistent: true }));
}

/** The partition of the complaint with this reference: `byReference` copies only keys. */
async function complaintPartitionOf(reference: string): Promise<string | undefined> {
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
  return typeof partition === 'string' ? partition : undefined;
}

/** The complaint with this reference: one Query of `byReference`, then the items. */
export async function findComplaintByReference(reference: string): Promise<Complaint | undefined> {
  const partition = await complaintPartitionOf(reference);
  if (partition === undefined) return undefined;
  const id = partition.slice(keys.complaintPartition('').length);
  return mergedComplaint(await complaintItems(id, { consistent: false }));
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

/**
 * The enqueue sweep's place in one year's references, kept on that year's reference counter
 * (the sweep's one write a run): every reference up to `sweptThrough` is routed, confirmed
 * enqueued, or a number intake never used; `seen` is a count the sweep read, and when.
 */
export interface ReferenceSweepState {
  allocated: number;
  sweptThrough: number;
  seen?: { value: number; at: string };
}

export async function getReferenceSweepState(year: number): Promise<ReferenceSweepState> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.counter('complaint-reference', year),
      ConsistentRead: true,
    }),
  );
  const item = result.Item ?? {};
  const number = (value: unknown) => (typeof value === 'number' ? value : 0);
  return {
    allocated: number(item.value),
    sweptThrough: number(item.sweptThrough),
    ...(typeof item.seenValue === 'number' && typeof item.seenAt === 'string'
      ? { seen: { value: item.seenValue, at: item.seenAt } }
      : {}),
  };
}

/** Moves the sweep's place on; false when another run moved it since `from` was read. */
export function saveReferenceSweepState(
  year: number,
  from: number,
  next: { sweptThrough: number; seen?: { value: number; at: string } },
): Promise<boolean> {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.counter('complaint-reference', year),
      UpdateExpression: `SET sweptThrough = :through${next.seen ? ', seenValue = :seen, seenAt = :at' : ''}`,
      ConditionExpression:
        from === 0
          ? 'attribute_exists(pk) AND (attribute_not_exists(sweptThrough) OR sweptThrough = :from)'
          : 'sweptThrough = :from',
      ExpressionAttributeValues: {
        ':through': next.sweptThrough,
        ':from': from,
        ...(next.seen ? { ':seen': next.seen.value, ':at': next.seen.at } : {}),
      },
    }),
  );
}

/** Where the complaint of one reference stands, for the sweep; undefined when none has it (yet). */
export interface ReferenceState {
  id: string;
  status: Complaint['status'];
  createdAt: string;
  enqueuedAt?: string;
}

export async function complaintStateByReference(
  reference: string,
): Promise<ReferenceState | undefined> {
  const partition = await complaintPartitionOf(reference);
  if (partition === undefined) return undefined;
  const result = await documentClient().send(
    new GetCommand({
      TableName: tableName(),
      Key: { pk: partition, sk: keys.complaint('').sk },
      ConsistentRead: true,
      ProjectionExpression: 'id, #status, createdAt, enqueuedAt',
      ExpressionAttributeNames: { '#status': 'status' },
    }),
  );
  const item = result.Item;
  if (!item) return undefined;
  const status = statuses.find((candidate) => candidate === item.status) ?? 'received';
  return {
    id: String(item.id),
    status,
    createdAt: String(item.createdAt),
    ...(typeof item.enqueuedAt === 'string' ? { enqueuedAt: item.enqueuedAt } : {}),
  };
}
