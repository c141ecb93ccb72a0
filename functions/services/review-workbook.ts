/**
 * The management-review workbook (XLSX, one sheet each: register, statistics, CAPA, survey):
 * written to the private bucket's `exports/` like the register's exports, answered with a
 * five-minute presigned link, and logged as an export (who, what, when).
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { recordExport } from '#functions/data/register.ts';
import { toBuffer } from '#functions/reports/register-export.ts';
import { writeReviewWorkbook } from '#functions/reports/review-workbook.ts';
import { s3Client } from '#functions/shared/aws/s3.ts';
import { requiredSetting } from '#functions/shared/config.ts';
import { environmentNames } from '#functions/wiring.ts';
import { registerRows } from './register.ts';
import { exportLinkSeconds } from './register-export.ts';
import { type ReviewPack, reviewPack } from './review-pack.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The workbook's bytes and its register row count (the CLI writes these to disk). */
export function reviewWorkbook(pack: ReviewPack) {
  return toBuffer((out) =>
    writeReviewWorkbook(pack, registerRows({ from: pack.from, to: pack.to, filter: {} }), out),
  );
}

export function reviewFileName(from: string, to: string, extension: 'xlsx' | 'html'): string {
  return `management-review-${from}-${to}.${extension}`;
}

export async function exportReviewWorkbook(
  from: string,
  to: string,
  by: { email: string; name: string },
  now: Date,
): Promise<{ url: string; rows: number; fileName: string }> {
  const id = randomUUID();
  const bucket = requiredSetting(environmentNames.attachmentsBucket);
  const key = `exports/${id}.xlsx`;
  const fileName = reviewFileName(from, to, 'xlsx');
  const { body, rows } = await reviewWorkbook(await reviewPack(from, to, now));
  await s3Client().send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: xlsxType }),
  );
  await recordExport({
    id,
    at: now.toISOString(),
    by,
    what: 'review',
    format: 'xlsx',
    period: { from, to },
    filter: {},
    rows,
  });
  const url = await getSignedUrl(
    s3Client(),
    new GetObjectCommand({
      Bucket: bucket,
      Key: key,
      ResponseContentType: xlsxType,
      ResponseContentDisposition: `attachment; filename="${fileName}"`,
    }),
    { expiresIn: exportLinkSeconds },
  );
  return { url, rows, fileName };
}
