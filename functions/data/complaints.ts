/** Complaint items: creation, lookup and the enqueue hand-off. Single-item writes only. */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Complaint, ComplaintDraft } from '../domain/complaint.ts';
import { formatReference } from '../domain/complaint.ts';
import { documentClient } from '../shared/aws/dynamodb.ts';
import { putIfAbsent, tableName, withoutKeys, writeIf } from './db.ts';
import { indexKeys, keys } from './keys.ts';
import { tableIndexes } from './table.ts';

const keyAttributes = [
  'pk',
  'sk',
  ...Object.values(tableIndexes).flatMap((index) => [index.partitionKey, index.sortKey]),
];

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
  };
  return putIfAbsent({
    ...keys.complaint(input.id),
    ...indexKeys.reference(input.reference),
    // A customer keyed in without an address has no place in the by-customer index.
    ...(input.draft.customer.email
      ? indexKeys.customer(input.draft.customer.email, input.createdAt)
      : {}),
    // Waits in the sweep's index until its routing message is confirmed sent.
    ...indexKeys.due('enqueue', input.createdAt),
    ...complaint,
  });
}

export async function getComplaint(id: string): Promise<Complaint | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: keys.complaint(id), ConsistentRead: true }),
  );
  return result.Item ? withoutKeys<Complaint>(result.Item, keyAttributes) : undefined;
}

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
  const item = result.Items?.[0];
  return item ? withoutKeys<Complaint>(item, keyAttributes) : undefined;
}

/** Confirms the routing message is on its queue: the complaint leaves the sweep's index. */
export async function markEnqueued(id: string, at: string): Promise<void> {
  // False when an earlier attempt or the sweep confirmed it already: nothing left to do.
  await writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.complaint(id),
      UpdateExpression: 'SET enqueuedAt = :at REMOVE dueKey, dueAt',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(enqueuedAt)',
      ExpressionAttributeValues: { ':at': at },
    }),
  );
}

/** Complaints received before `receivedBefore` whose routing message is unconfirmed, oldest first. */
export async function complaintsAwaitingEnqueue(receivedBefore: string, limit: number) {
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
    }),
  );
  return (result.Items ?? []).map((item) => ({
    id: String(item.id),
    reference: String(item.reference),
  }));
}
