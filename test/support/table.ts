/** Direct reads of the local table, to check what the HTTP answers claim. */
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#functions/data/keys.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { localTableName } from '#infra/local/host.ts';

export async function storedComplaints(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new ScanCommand({
        TableName: localTableName,
        FilterExpression: 'sk = :sk',
        ExpressionAttributeValues: { ':sk': 'COMPLAINT' },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export async function storedComplaint(id: string): Promise<Record<string, unknown> | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: localTableName, Key: keys.complaint(id), ConsistentRead: true }),
  );
  return result.Item;
}
