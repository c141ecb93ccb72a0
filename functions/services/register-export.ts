/**
 * Exports of the register: written to the private bucket under `exports/` (a 100,000-row
 * file is far past API Gateway's 10 MB answer), answered with a short-lived presigned link,
 * and logged: who exported what, when.
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type ExportEntry, recordExport } from '#functions/data/register.ts';
import {
  toBuffer,
  writeRegisterCsv,
  writeRegisterXlsx,
} from '#functions/reports/register-export.ts';
import { s3Client } from '#functions/shared/aws/s3.ts';
import { requiredSetting } from '#functions/shared/config.ts';
import { environmentNames } from '#functions/wiring.ts';
import { type RegisterQuery, registerRows } from './register.ts';

export type ExportFormat = 'csv' | 'xlsx';

export const exportLinkSeconds = 5 * 60;

const contentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The file's bytes and row count (the CLI writes these to disk). */
export function registerFile(query: RegisterQuery, format: ExportFormat) {
  return toBuffer((out) =>
    format === 'csv'
      ? writeRegisterCsv(registerRows(query), out)
      : writeRegisterXlsx(registerRows(query), out),
  );
}

export function exportFileName(query: RegisterQuery, format: ExportFormat): string {
  return `register-${query.from}-${query.to}.${format}`;
}

/** The log's entry for an export of the register: who, when, which period and filter, how many rows. */
export function registerExportEntry(
  id: string,
  at: Date,
  by: ExportEntry['by'],
  query: RegisterQuery,
  format: ExportFormat,
  rows: number,
): ExportEntry {
  return {
    id,
    at: at.toISOString(),
    by,
    what: 'register',
    format,
    period: { from: query.from, to: query.to },
    filter: Object.fromEntries(
      Object.entries(query.filter).filter(
        (pair): pair is [string, string] => pair[1] !== undefined,
      ),
    ),
    rows,
  };
}

export interface ExportResult {
  url: string;
  rows: number;
  fileName: string;
}

export async function exportRegister(
  query: RegisterQuery,
  format: ExportFormat,
  by: { email: string; name: string },
  now: Date,
): Promise<ExportResult> {
  const id = randomUUID();
  const bucket = requiredSetting(environmentNames.attachmentsBucket);
  const key = `exports/${id}.${format}`;
  const fileName = exportFileName(query, format);
  const { body, rows } = await registerFile(query, format);
  await s3Client().send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: contentTypes[format],
    }),
  );
  await recordExport(registerExportEntry(id, now, by, query, format, rows));
  const url = await getSignedUrl(
    s3Client(),
    new GetObjectCommand({
      Bucket: bucket,
      Key: key,
      ResponseContentType: contentTypes[format],
      ResponseContentDisposition: `attachment; filename="${fileName}"`,
    }),
    { expiresIn: exportLinkSeconds },
  );
  return { url, rows, fileName };
}
