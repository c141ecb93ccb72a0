/**
 * The response email's feedback links: the SHA-256 of each token (never the token), the
 * complaint and the version of the `respond` event it answers. Single use: the answer marks
 * it used with a conditional write, and the case event it appends is itself single.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { putIfAbsent, setOnce, tableName } from './db.ts';
import { keys } from './keys.ts';

const storedFeedbackToken = z.object({
  digest: z.string(),
  complaintId: z.string(),
  /** The version the `respond` event made: an answer is recorded as the next one. */
  version: z.int(),
  expiresAt: z.string(),
  usedAt: z.optional(z.string()),
});
export type StoredFeedbackToken = z.output<typeof storedFeedbackToken>;

export function storeFeedbackToken(token: StoredFeedbackToken): Promise<boolean> {
  return putIfAbsent({ ...keys.feedbackToken(token.digest), ...token });
}

export async function getFeedbackToken(digest: string): Promise<StoredFeedbackToken | undefined> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.feedbackToken(digest),
      ConsistentRead: true,
    }),
  );
  return result.Item ? z.parse(storedFeedbackToken, result.Item) : undefined;
}

/** False when it was used already. */
export function markFeedbackTokenUsed(digest: string, at: string): Promise<boolean> {
  return setOnce(keys.feedbackToken(digest), 'usedAt', at);
}
