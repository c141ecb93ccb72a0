/** Shared pieces of table access: the table's name, conditional writes, failed conditions. */
import {
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  type UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { requiredSetting } from '#functions/shared/config.ts';
import { environmentNames } from '#functions/wiring.ts';

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

/** Drops the key and index attributes so callers see the domain object only. */
export function withoutKeys<T>(item: Record<string, unknown>, keyAttributes: readonly string[]): T {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    if (!keyAttributes.includes(name)) result[name] = value;
  }
  return result as T;
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
