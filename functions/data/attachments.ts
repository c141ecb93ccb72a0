/** The photos and documents recorded on a complaint: one item each in its partition. */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { attachmentTypes } from '#functions/domain/attachments.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { putIfAbsent, tableName, writeIf } from './db.ts';
import { keys } from './keys.ts';

const attachmentSchema = z.object({
  uploadId: z.string(),
  name: z.string(),
  key: z.string(),
  size: z.number(),
  type: z.enum(attachmentTypes),
  receivedAt: z.string(),
});
export type Attachment = z.output<typeof attachmentSchema>;

/** Records the file once; false when its upload was recorded already. */
export function recordAttachment(complaintId: string, attachment: Attachment): Promise<boolean> {
  return putIfAbsent({ ...keys.attachment(complaintId, attachment.uploadId), ...attachment });
}

/** The complaint's files, oldest first. */
export async function listAttachments(complaintId: string): Promise<Attachment[]> {
  const result = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.complaintPartition(complaintId),
        ':prefix': 'ATTACHMENT#',
      },
      ConsistentRead: true,
    }),
  );
  const attachments = (result.Items ?? []).flatMap((item) => {
    const parsed = z.safeParse(attachmentSchema, item);
    return parsed.success ? [parsed.data] : [];
  });
  return attachments.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
}

/**
 * Takes one of the complaint's `max` file places (a conditional counter on the complaint),
 * so uploads finishing at the same moment cannot together pass the limit; false when full.
 */
export function takeAttachmentPlace(complaintId: string, max: number): Promise<boolean> {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.complaint(complaintId),
      UpdateExpression: 'ADD attachmentCount :one',
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(attachmentCount) OR attachmentCount < :max)',
      ExpressionAttributeValues: { ':one': 1, ':max': max },
    }),
  );
}
