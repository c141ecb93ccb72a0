/**
 * The customer registry: one entry per email address, fed by every complaint and by the
 * operator's CSV imports. Deliverable entries sit in a sparse index the survey pages through.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Language, Market } from '#functions/domain/complaint.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { putIfAbsent, tableName, writeIf } from './db.ts';
import { customerItem } from './items.ts';
import { indexKeys, keys } from './keys.ts';
import { tableIndexes } from './table.ts';

export interface CustomerProfile {
  email: string;
  name?: string;
  company?: string;
  market: Market;
  region: string;
  language: Language;
}

export interface Customer extends CustomerProfile {
  deliverable: boolean;
  undeliverableReason?: string;
  source: CustomerSource;
  createdAt: string;
  updatedAt: string;
}

export type CustomerSource = 'complaint' | 'import';

/** Adds the customer, or updates what we know of them; whether their address works is kept. */
export async function upsertCustomer(
  profile: CustomerProfile,
  source: CustomerSource,
  now: string,
): Promise<'created' | 'updated'> {
  const key = keys.customer(profile.email);
  const created = await putIfAbsent(
    customerItem.toItem(
      { ...key, ...indexKeys.deliverableCustomer(profile.email) },
      { ...profile, deliverable: true, source, createdAt: now, updatedAt: now },
    ),
  );
  if (created) return 'created';
  // Only what we know: an absent company must not become `SET company = <nothing>`.
  const fields: Record<string, unknown> = Object.fromEntries(
    Object.entries({ ...profile, updatedAt: now }).filter(([, value]) => value !== undefined),
  );
  const names = Object.keys(fields);
  await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: `SET ${names.map((_, index) => `#f${index} = :v${index}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(
        names.map((name, index) => [`#f${index}`, name]),
      ),
      ExpressionAttributeValues: Object.fromEntries(
        names.map((name, index) => [`:v${index}`, fields[name]]),
      ),
    }),
  );
  return 'updated';
}

export async function getCustomer(email: string): Promise<Customer | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: keys.customer(email), ConsistentRead: true }),
  );
  return result.Item ? customerItem.fromItem(result.Item) : undefined;
}

/** SES refused the address for good: the survey stops writing to it. */
export async function markUndeliverable(email: string, reason: string, now: string): Promise<void> {
  await writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.customer(email),
      UpdateExpression:
        'SET deliverable = :false, undeliverableReason = :reason, updatedAt = :now REMOVE registryKey, registrySort',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':false': false, ':reason': reason, ':now': now },
    }),
  );
}

export interface CustomerPage {
  customers: Customer[];
  /** Pass back to get the next page; undefined after the last. */
  next?: Record<string, unknown>;
}

/** One page of deliverable customers, by email: a Query on the sparse index, never a Scan. */
export async function deliverableCustomers(
  limit: number,
  startAfter?: Record<string, unknown>,
): Promise<CustomerPage> {
  const index = tableIndexes.deliverableCustomers;
  const result = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'deliverableCustomers',
      KeyConditionExpression: '#key = :key',
      ExpressionAttributeNames: { '#key': index.partitionKey },
      ExpressionAttributeValues: { ':key': indexKeys.deliverableCustomer('').registryKey },
      Limit: limit,
      ExclusiveStartKey: startAfter,
    }),
  );
  return {
    customers: (result.Items ?? []).map(customerItem.fromItem),
    next: result.LastEvaluatedKey,
  };
}
