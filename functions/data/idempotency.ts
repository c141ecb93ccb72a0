/**
 * Idempotency records: the first request with a key claims it and names the complaint it
 * will create; every retry finds that claim and answers with the same complaint. Expiry is
 * checked here, not left to DynamoDB TTL (which dynalite never runs and AWS runs late).
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { tableName, writeIf } from './db.ts';
import { itemFamily } from './items.ts';
import { keys } from './keys.ts';

export interface IdempotentResult {
  id: string;
  reference: string;
}

const idempotencyItem = itemFamily(
  'idempotency record',
  z.object({
    state: z.enum(['pending', 'completed']),
    fingerprint: z.string(),
    complaintId: z.string(),
    claimedAt: z.number(),
    expiresAt: z.number(),
    result: z.optional(z.object({ id: z.string(), reference: z.string() })),
  }),
);
type IdempotencyRecord = z.output<typeof idempotencyItem.schema>;

export type Claim =
  /** `takenOver`: a dead request's claim, whose complaint may already be written. */
  | { outcome: 'claimed'; complaintId: string; takenOver: boolean }
  | { outcome: 'completed'; result: IdempotentResult }
  | { outcome: 'in_progress'; complaintId: string }
  | { outcome: 'mismatch' };

export interface ClaimRequest {
  scope: string;
  key: string;
  /** Hash of the validated request: the same key with other content is refused. */
  fingerprint: string;
  complaintId: string;
  nowSeconds: number;
  ttlSeconds: number;
  /** A pending claim older than this is taken over: its first owner is presumed dead. */
  leaseSeconds: number;
}

export async function claimIdempotencyKey(request: ClaimRequest): Promise<Claim> {
  const Key = keys.idempotency(request.scope, request.key);
  const record: IdempotencyRecord = {
    state: 'pending',
    fingerprint: request.fingerprint,
    complaintId: request.complaintId,
    claimedAt: request.nowSeconds,
    expiresAt: request.nowSeconds + request.ttlSeconds,
  };
  const claimed = await writeIf(
    new PutCommand({
      TableName: tableName(),
      Item: idempotencyItem.toItem(Key, record),
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': request.nowSeconds },
    }),
  );
  if (claimed) return { outcome: 'claimed', complaintId: request.complaintId, takenOver: false };

  const existing = await readRecord(request.scope, request.key);
  if (!existing) return claimIdempotencyKey(request); // expired and removed in between
  if (existing.fingerprint !== request.fingerprint) return { outcome: 'mismatch' };
  if (existing.state === 'completed' && existing.result) {
    return { outcome: 'completed', result: existing.result };
  }
  if (existing.claimedAt > request.nowSeconds - request.leaseSeconds) {
    return { outcome: 'in_progress', complaintId: existing.complaintId };
  }
  const takenOver = await writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key,
      UpdateExpression: 'SET claimedAt = :now',
      ConditionExpression: '#state = :pending AND claimedAt = :seen',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':now': request.nowSeconds,
        ':pending': 'pending',
        ':seen': existing.claimedAt,
      },
    }),
  );
  return takenOver
    ? { outcome: 'claimed', complaintId: existing.complaintId, takenOver: true }
    : { outcome: 'in_progress', complaintId: existing.complaintId };
}

export async function completeIdempotencyKey(
  scope: string,
  key: string,
  result: IdempotentResult,
): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.idempotency(scope, key),
      UpdateExpression: 'SET #state = :completed, #result = :result',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#state': 'state', '#result': 'result' },
      ExpressionAttributeValues: { ':completed': 'completed', ':result': result },
    }),
  );
}

export async function completedResult(scope: string, key: string) {
  const record = await readRecord(scope, key);
  return record?.state === 'completed' ? record.result : undefined;
}

async function readRecord(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.idempotency(scope, key),
      ConsistentRead: true,
    }),
  );
  return result.Item ? idempotencyItem.fromItem(result.Item) : undefined;
}
