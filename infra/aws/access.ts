/**
 * Least-privilege IAM statements from what the wiring description says a function touches:
 * explicit actions, explicit resources, no wildcards.
 */
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { tableIndexes } from '#functions/data/table.ts';
import type { TableAccess } from '#functions/wiring.ts';

/** The table operations handlers use (no Scan, no transactions: single-item writes only). */
export const tableActions: Record<Exclude<TableAccess, 'none'>, string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  // No delete and no batch writes: the code has none, and every write is conditional.
  readwrite: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
};

export const queueSendActions = ['sqs:SendMessage'];
/** SES v2 SendEmail (simple content) is authorised as ses:SendEmail; SendMessageBatch as sqs:SendMessage. */
export const mailSendActions = ['ses:SendEmail'];

/** The table and each of its indexes by name (no `index/*`). */
export function tableResources(tableArn: string): string[] {
  return [tableArn, ...Object.keys(tableIndexes).map((name) => `${tableArn}/index/${name}`)];
}

export function tableStatement(access: TableAccess, tableArn: string): PolicyStatement | undefined {
  if (access === 'none') return undefined;
  return new PolicyStatement({
    sid: access === 'read' ? 'ReadTable' : 'ReadWriteTable',
    actions: tableActions[access],
    resources: tableResources(tableArn),
  });
}

export function queueSendStatement(queueArns: string[]): PolicyStatement | undefined {
  if (queueArns.length === 0) return undefined;
  return new PolicyStatement({
    sid: 'SendToQueues',
    actions: queueSendActions,
    resources: queueArns,
  });
}

/** SES checks the sending identity, the configuration set and, in the sandbox, the recipient. */
export function mailSendStatement(resources: string[]): PolicyStatement {
  return new PolicyStatement({ sid: 'SendMail', actions: mailSendActions, resources });
}

/**
 * Uploads: presigning a POST needs PutObject on `incoming/` (S3 checks the signer's rights);
 * recording reads the upload, copies it under `complaints/` and deletes the incoming copy.
 */
export function attachmentStatements(bucket: IBucket): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'ReceiveUploads',
      actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
      resources: [bucket.arnForObjects('incoming/*')],
    }),
    new PolicyStatement({
      sid: 'KeepAttachments',
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('complaints/*')],
    }),
  ];
}

/** Register exports: written under `exports/` and read back through a presigned link. */
export function exportStatements(bucket: IBucket): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'WriteExports',
      actions: ['s3:PutObject', 's3:GetObject'],
      resources: [bucket.arnForObjects('exports/*')],
    }),
  ];
}
