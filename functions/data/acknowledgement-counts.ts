/** Per-address daily counters of acknowledgements, so the public form cannot make us a mail relay. */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableName, writeIf } from './db.ts';
import { keys } from './keys.ts';

/** Takes one of the day's acknowledgements for `email`; false when the day's `limit` is used up. */
export function takeAcknowledgement(email: string, day: string, limit: number, expiresAt: number) {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.acknowledgementCount(email, day),
      UpdateExpression: 'ADD taken :one SET expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(taken) OR taken < :limit',
      ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expiresAt': expiresAt },
    }),
  );
}
