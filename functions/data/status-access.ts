/**
 * Status links' access tokens: only the SHA-256 of each is kept: the JSON answer's on the
 * complaint (a bounded number, so a complaint cannot grow without end), each customer mail's
 * on that mail's exactly-once marker, written with its claim. Every link we hand out gets a
 * fresh token.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableName, writeIf } from './db.ts';
import { keys } from './keys.ts';
import { complaintMailMarkers } from './mail-markers.ts';

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

/**
 * The status-link digests kept on the complaint's mail markers (each customer mail's link):
 * one consistent Query of the markers in its partition.
 */
export async function mailStatusAccessDigests(complaintId: string): Promise<string[]> {
  const markers = await complaintMailMarkers(complaintId, 'statusAccessDigests');
  return markers.flatMap(({ value }) =>
    Array.isArray(value)
      ? value.filter((digest): digest is string => typeof digest === 'string')
      : [],
  );
}
