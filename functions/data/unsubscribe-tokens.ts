/**
 * The unsubscribe links in survey mail (`List-Unsubscribe`): the SHA-256 of each token and
 * the address it opts out. Not single use: a second click finds the address opted out.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { putIfAbsent, tableName } from './db.ts';
import { keys } from './keys.ts';

const storedUnsubscribeToken = z.object({
  digest: z.string(),
  email: z.string(),
  language: z.enum(['zh', 'en']),
  issuedAt: z.string(),
  expiresAt: z.string(),
});
export type StoredUnsubscribeToken = z.output<typeof storedUnsubscribeToken>;

export function saveUnsubscribeToken(token: StoredUnsubscribeToken): Promise<boolean> {
  return putIfAbsent({ ...keys.unsubscribeToken(token.digest), ...token });
}

export async function getUnsubscribeToken(
  digest: string,
): Promise<StoredUnsubscribeToken | undefined> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.unsubscribeToken(digest),
      ConsistentRead: true,
    }),
  );
  const parsed = result.Item ? z.safeParse(storedUnsubscribeToken, result.Item) : undefined;
  return parsed?.success ? parsed.data : undefined;
}
