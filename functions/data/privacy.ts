/**
 * Table access for erasing one person's data (README, "Privacy requests"): finding what is
 * kept under their address, and the single-item writes that remove or anonymise it.
 */
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { Customer } from '#functions/domain/complaint.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { putIfAbsent, queryAllPages, tableName, writeIf } from './db.ts';
import { type ItemKey, indexKeys, keys } from './keys.ts';

const complaintRow = z.object({ id: z.string(), reference: z.string() });

/** Every complaint filed from the address (the `byCustomer` index), oldest first. */
export async function complaintsFiledBy(
  email: string,
): Promise<{ id: string; reference: string }[]> {
  const items = await queryAllPages({
    IndexName: 'byCustomer',
    KeyConditionExpression: 'customerKey = :key',
    ExpressionAttributeValues: { ':key': indexKeys.customer(email, '').customerKey },
  });
  return items.flatMap((item) => {
    const row = z.safeParse(complaintRow, item);
    return row.success ? [row.data] : [];
  });
}

/**
 * Replaces the customer's details and their own words with placeholders, and moves the
 * complaint off their address in the `byCustomer` index. Category, market, region, order
 * numbers, dates and the handling stay: the statistics need them and they name no one.
 */
export function anonymiseComplaint(id: string, customer: Customer & { email: string }, at: string) {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.complaint(id),
      UpdateExpression:
        'SET customer = :customer, subject = :erased, description = :erased, customerKey = :key, erasedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: {
        ':customer': customer,
        ':erased': erasedText,
        ':key': indexKeys.customer(customer.email, '').customerKey,
        ':at': at,
      },
    }),
  );
}

/** The complaint's own words in its description item (written once, at intake) too. */
export function anonymiseDescription(id: string) {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.complaintDescription(id),
      UpdateExpression: 'SET description = :erased',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':erased': erasedText },
    }),
  );
}

export const erasedText = '[erased]';

/** A department's queue row (its assignment item) shows the subject the customer wrote. */
export function anonymiseAssignment(key: ItemKey) {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'SET subject = :erased',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':erased': erasedText },
    }),
  );
}

/** A mail marker sent to the address names the pseudonym instead; false if it named another. */
export function readdressMarker(key: ItemKey, email: string, pseudonym: string) {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'SET #to = :pseudonym',
      ConditionExpression: 'attribute_exists(pk) AND #to = :email',
      ExpressionAttributeNames: { '#to': 'to' },
      ExpressionAttributeValues: { ':pseudonym': pseudonym, ':email': email },
    }),
  );
}

/** The keys of a partition's items whose sort key starts with `prefix`. */
export async function keysUnder(pk: string, prefix: string): Promise<ItemKey[]> {
  const items = await queryAllPages({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    ProjectionExpression: 'pk, sk',
  });
  return items.flatMap((item) => {
    const key = z.safeParse(z.object({ pk: z.string(), sk: z.string() }), item);
    return key.success ? [key.data] : [];
  });
}

export async function itemExists(key: ItemKey): Promise<boolean> {
  const result = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: key, ProjectionExpression: 'pk' }),
  );
  return result.Item !== undefined;
}

export async function getItem(key: ItemKey): Promise<Record<string, unknown> | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }),
  );
  return result.Item;
}

/** Deletes the item if it is there (a single-item conditional write); false when it was not. */
export async function deleteItem(key: ItemKey): Promise<boolean> {
  try {
    await documentClient().send(
      new DeleteCommand({
        TableName: tableName(),
        Key: key,
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

export { putIfAbsent };
