/** Shared pieces of table access: the table's name, conditional writes, failed conditions. */
import {
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { requiredSetting } from '#functions/shared/config.ts';
import { environmentNames } from '#functions/wiring.ts';
import type { ItemKey } from './keys.ts';

export function tableName(): string {
  return requiredSetting(environmentNames.tableName);
}

export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Sends a conditional write; false when the condition did not hold (any other error is thrown). */
export async function writeIf(command: PutCommand | UpdateCommand): Promise<boolean> {
  try {
    // One call per command type: `send` is generic over a single command's input and output.
    if (command instanceof PutCommand) await documentClient().send(command);
    else await documentClient().send(command);
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Writes the item (its key included) unless an item with that key exists; false when one does. */
export function putIfAbsent(item: Record<string, unknown>): Promise<boolean> {
  return writeIf(
    new PutCommand({
      TableName: tableName(),
      Item: item,
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/**
 * Sets `attribute` once on an existing item, with `also` written beside it and `remove`
 * removed; false when the item is missing or the attribute is set already (a retry, or
 * someone else first). The one "set once" conditional update every family uses.
 */
export function setOnce(
  key: ItemKey,
  attribute: string,
  value: unknown,
  options: { also?: Record<string, unknown>; remove?: readonly string[] } = {},
): Promise<boolean> {
  const set = { [attribute]: value, ...options.also };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const assignments = Object.entries(set).map(([name, setValue], index) => {
    names[`#s${index}`] = name;
    values[`:s${index}`] = setValue;
    return `#s${index} = :s${index}`;
  });
  const removals = (options.remove ?? []).map((name, index) => {
    names[`#r${index}`] = name;
    return `#r${index}`;
  });
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: `SET ${assignments.join(', ')}${removals.length ? ` REMOVE ${removals.join(', ')}` : ''}`,
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#s0)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
}

/** Every item a Query matches, page after page (for bounded sets: one person's, one year's). */
export async function queryAllPages(
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({ ...input, TableName: tableName(), ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
