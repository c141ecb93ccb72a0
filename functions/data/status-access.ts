/**
 * Status links' access tokens: only the SHA-256 of each is kept, on the complaint. Every
 * link we hand out (the JSON answer, each customer mail) gets a fresh token; a bounded
 * number is kept, so a complaint cannot grow without end.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableName, writeIf } from './db.ts';
import { keys } from './keys.ts';

export const maxStatusAccessDigests = 100;

/** False when the complaint is gone, holds the most digests it may, or has this one already. */
export function addStatusAccessDigest(complaintId: string, digest: string): Promise<boolean> {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.complaint(complaintId),
      UpdateExpression:
        'SET statusAccessDigests = list_append(if_not_exists(statusAccessDigests, :empty), :one)',
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(statusAccessDigests) OR (size(statusAccessDigests) < :max AND NOT contains(statusAccessDigests, :digest)))',
      ExpressionAttributeValues: {
        ':empty': [],
        ':one': [digest],
        ':digest': digest,
        ':max': maxStatusAccessDigests,
      },
    }),
  );
}
