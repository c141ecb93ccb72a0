/**
 * Uploads straight to S3 and their recording: the presigned POST a browser sends a file with,
 * and the check of what arrived before it joins the complaint. The policy already bounds the
 * key and the size; S3 stand-ins do not enforce policies, and a file's name says nothing of
 * its content, so the object is checked again here.
 */
import { randomUUID } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  type Attachment,
  listAttachments,
  recordAttachment,
  takeAttachmentPlace,
} from '#functions/data/attachments.ts';
import { recordHistoryEvent } from '#functions/data/history.ts';
import {
  attachmentKey,
  displayName,
  incomingPrefix,
  judgeUpload,
  maxAttachmentBytes,
  maxAttachments,
  parseIncomingKey,
} from '#functions/domain/attachments.ts';
import { s3Client } from '#functions/shared/aws/s3.ts';
import { requiredSetting } from '#functions/shared/config.ts';
import { log } from '#functions/shared/log.ts';
import { environmentNames } from '#functions/wiring.ts';

const uploadFormSeconds = 60 * 60;

function bucket(): string {
  return requiredSetting(environmentNames.attachmentsBucket);
}

export interface UploadForm {
  url: string;
  fields: Record<string, string>;
}

/** A form for one file under the complaint, valid for an hour, landing on `redirectTo`. */
export async function uploadForm(complaintId: string, redirectTo: string): Promise<UploadForm> {
  const prefix = incomingPrefix(complaintId, randomUUID());
  const post = await createPresignedPost(s3Client(), {
    Bucket: bucket(),
    Key: `${prefix}\${filename}`,
    Conditions: [
      ['starts-with', '$key', prefix],
      ['content-length-range', 1, maxAttachmentBytes],
      ['eq', '$success_action_redirect', redirectTo],
    ],
    Fields: { success_action_redirect: redirectTo },
    Expires: uploadFormSeconds,
  });
  return { url: post.url, fields: post.fields };
}

export type RecordOutcome =
  | { outcome: 'recorded' | 'already_recorded'; attachment?: Attachment }
  | { outcome: 'rejected'; reason: 'empty' | 'too_large' | 'wrong_type' | 'limit' | 'missing' };

/** Checks the uploaded object named by `key` and records it on the complaint, or removes it. */
export async function recordUpload(
  complaint: { id: string; reference: string },
  key: string,
  now: Date,
): Promise<RecordOutcome> {
  const upload = parseIncomingKey(complaint.id, key);
  if (!upload) return { outcome: 'rejected', reason: 'missing' };
  const existing = await listAttachments(complaint.id);
  if (existing.some((attachment) => attachment.uploadId === upload.uploadId)) {
    return { outcome: 'already_recorded' };
  }
  let size: number;
  try {
    const head = await s3Client().send(new HeadObjectCommand({ Bucket: bucket(), Key: key }));
    size = head.ContentLength ?? 0;
  } catch (error) {
    if (error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey')) {
      return { outcome: 'rejected', reason: 'missing' };
    }
    throw error;
  }
  const reject = async (reason: 'empty' | 'too_large' | 'wrong_type' | 'limit') => {
    await s3Client().send(new DeleteObjectCommand({ Bucket: bucket(), Key: key }));
    log.info(`upload refused: ${reason}`, { complaintId: complaint.id });
    return { outcome: 'rejected' as const, reason };
  };
  if (existing.length >= maxAttachments) return reject('limit');
  const first = size > 0 ? await firstBytes(key) : new Uint8Array();
  const verdict = judgeUpload(upload.filename, size, first);
  if (!verdict.ok) return reject(verdict.reason);

  if (!(await takeAttachmentPlace(complaint.id, maxAttachments))) return reject('limit');
  const target = attachmentKey(complaint.id, upload.uploadId, upload.filename);
  await s3Client().send(
    new CopyObjectCommand({
      Bucket: bucket(),
      Key: target,
      CopySource: `${bucket()}/${encodeURIComponent(key).replaceAll('%2F', '/')}`,
      ContentType: verdict.type,
      MetadataDirective: 'REPLACE',
    }),
  );
  const attachment: Attachment = {
    uploadId: upload.uploadId,
    name: displayName(upload.filename),
    key: target,
    size,
    type: verdict.type,
    receivedAt: now.toISOString(),
  };
  const recorded = await recordAttachment(complaint.id, attachment);
  await recordHistoryEvent(
    complaint.id,
    {
      type: 'attachment_added',
      at: attachment.receivedAt,
      actor: 'customer',
      details: { uploadId: upload.uploadId, size, type: verdict.type },
    },
    upload.uploadId,
  );
  await s3Client().send(new DeleteObjectCommand({ Bucket: bucket(), Key: key }));
  log.info('upload recorded', { complaintId: complaint.id, reference: complaint.reference });
  return { outcome: recorded ? 'recorded' : 'already_recorded', attachment };
}

async function firstBytes(key: string): Promise<Uint8Array> {
  const object = await s3Client().send(
    new GetObjectCommand({ Bucket: bucket(), Key: key, Range: 'bytes=0-15' }),
  );
  return (await object.Body?.transformToByteArray()) ?? new Uint8Array();
}

/** How long a staff download link works: long enough to click, too short to pass around. */
export const downloadLinkSeconds = 5 * 60;

/**
 * A short-lived link to one recorded file, for staff (the console): the file is offered as a
 * download under its own name and type, never shown inline on our origin. Undefined when the
 * complaint has no such file.
 */
export async function attachmentDownloadLink(
  complaintId: string,
  uploadId: string,
): Promise<string | undefined> {
  const attachment = (await listAttachments(complaintId)).find(
    (candidate) => candidate.uploadId === uploadId,
  );
  if (!attachment) return undefined;
  return getSignedUrl(
    s3Client(),
    new GetObjectCommand({
      Bucket: bucket(),
      Key: attachment.key,
      ResponseContentType: attachment.type,
      ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(attachment.name)}`,
    }),
    { expiresIn: downloadLinkSeconds },
  );
}
