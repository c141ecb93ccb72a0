/**
 * On-site visits: one item per visit in its complaint's partition (so the complaint's one
 * Query returns them with its history). The report is set once on it by a conditional
 * write, which is what makes the outlet's link single use; an unreported visit waits in the
 * sparse `byDue` index (`DUE#visit`) until its reminder time, and leaves it when reported or
 * reminded. Report and calendar links are items found by the SHA-256 of their token.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { departmentCodes } from '#functions/domain/departments.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { putIfAbsent, queryAllPages, tableName, writeIf } from './db.ts';
import { indexKeys, keys } from './keys.ts';
import { tableIndexes } from './table.ts';

const text = z.string();

export const visitReportSchema = z.lazy(() =>
  z.object({
    arrivedAt: text,
    departedAt: text,
    findings: text,
    workDone: text,
    parts: z.optional(text),
    confirmedBy: text,
    reportedAt: text,
  }),
);
export type VisitReport = z.output<typeof visitReportSchema>;

export const visitSchema = z.lazy(() =>
  z.object({
    complaintId: text,
    visitId: text,
    date: text,
    from: text,
    to: text,
    timeZone: text,
    startsAt: text,
    endsAt: text,
    assignee: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('outlet'), id: text }),
      z.object({ kind: z.literal('technician'), name: text, email: text }),
    ]),
    address: text,
    contact: z.object({ name: text, phone: z.optional(text) }),
    scheduledAt: text,
    scheduledBy: z.object({ email: text, name: text, roles: z.array(z.enum(departmentCodes)) }),
    remindAt: text,
    /** Its two mails are queued: until then it waits in `byDue` from `scheduledAt`, so a crash before is repaired. */
    notifiedAt: z.optional(text),
    report: z.optional(visitReportSchema),
    remindedAt: z.optional(text),
    /** With an idempotency key (the visit's id comes from it): the SHA-256 of what was asked. */
    requestFingerprint: z.optional(text),
  }),
);
export type Visit = z.output<typeof visitSchema>;

function parseVisit(item: Record<string, unknown>): Visit {
  const { pk: _pk, sk: _sk, dueKey: _key, dueAt: _at, ...rest } = item;
  return z.parse(visitSchema, rest);
}

/**
 * Records a new visit; false when the id was taken. It waits in `byDue` from now until its
 * mails are queued (`markVisitNotified`), then until its reminder time.
 */
export function putVisit(visit: Visit): Promise<boolean> {
  return putIfAbsent({
    ...keys.visit(visit.complaintId, visit.visitId),
    ...visit,
    ...indexKeys.due('visit', visit.scheduledAt),
  });
}

/** The scheduling mails are queued: the visit now waits for its reminder time. */
export function markVisitNotified(
  complaintId: string,
  visitId: string,
  at: string,
  remindAt: string,
): Promise<boolean> {
  const due = indexKeys.due('visit', remindAt);
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.visit(complaintId, visitId),
      UpdateExpression: 'SET notifiedAt = :at, dueKey = :key, dueAt = :due',
      ConditionExpression:
        'attribute_exists(pk) AND attribute_not_exists(notifiedAt) AND attribute_not_exists(#report) AND attribute_not_exists(remindedAt)',
      ExpressionAttributeNames: { '#report': 'report' },
      ExpressionAttributeValues: { ':at': at, ':key': due.dueKey, ':due': due.dueAt },
    }),
  );
}

export async function getVisit(complaintId: string, visitId: string): Promise<Visit | undefined> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.visit(complaintId, visitId),
      ConsistentRead: true,
    }),
  );
  return result.Item ? parseVisit(result.Item) : undefined;
}

/** The complaint's visits, in the order they were scheduled. */
export function visitsFromPartition(items: readonly Record<string, unknown>[]): Visit[] {
  return items
    .filter((item) => String(item.sk).startsWith('VISIT#'))
    .map(parseVisit)
    .sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
}

/** The one write that decides the report: false when one was recorded already. */
export function recordVisitReport(
  complaintId: string,
  visitId: string,
  report: VisitReport,
): Promise<boolean> {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.visit(complaintId, visitId),
      UpdateExpression: 'SET #report = :report REMOVE dueKey, dueAt',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#report)',
      ExpressionAttributeNames: { '#report': 'report' },
      ExpressionAttributeValues: { ':report': report },
    }),
  );
}

/** The reminder is sent once: false when the visit was reported or reminded already. */
export function markVisitReminded(
  complaintId: string,
  visitId: string,
  at: string,
): Promise<boolean> {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.visit(complaintId, visitId),
      UpdateExpression: 'SET remindedAt = :at REMOVE dueKey, dueAt',
      ConditionExpression:
        'attribute_exists(pk) AND attribute_not_exists(remindedAt) AND attribute_not_exists(#report)',
      ExpressionAttributeNames: { '#report': 'report' },
      ExpressionAttributeValues: { ':at': at },
    }),
  );
}

/** Visits whose mails are not queued yet, or unreported past their reminder time, from `byDue`. */
export async function visitsDue(now: string): Promise<Visit[]> {
  const index = tableIndexes.byDue;
  const due = indexKeys.due('visit', now);
  const items = await queryAllPages({
    IndexName: 'byDue',
    KeyConditionExpression: '#key = :key AND #at <= :now',
    ExpressionAttributeNames: { '#key': index.partitionKey, '#at': index.sortKey },
    ExpressionAttributeValues: { ':key': due.dueKey, ':now': due.dueAt },
  });
  // `byDue` copies only keys and a few attributes: each due visit is read whole, consistently.
  const visits = await Promise.all(
    items.map(async (item) => {
      const found = await documentClient().send(
        new GetCommand({
          TableName: tableName(),
          Key: { pk: item.pk, sk: item.sk },
          ConsistentRead: true,
        }),
      );
      return found.Item ? parseVisit(found.Item) : undefined;
    }),
  );
  return visits.filter((visit) => visit !== undefined);
}

const visitTokenSchema = z.lazy(() =>
  z.object({
    digest: text,
    complaintId: text,
    visitId: text,
    /** `report`: the outlet's single-use report link; `calendar`: the customer's .ics link. */
    purpose: z.enum(['report', 'calendar']),
    expiresAt: text,
  }),
);
export type StoredVisitToken = z.output<typeof visitTokenSchema>;

export function storeVisitToken(token: StoredVisitToken): Promise<boolean> {
  return putIfAbsent({ ...keys.visitToken(token.digest), ...token });
}

export async function getVisitToken(digest: string): Promise<StoredVisitToken | undefined> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.visitToken(digest),
      ConsistentRead: true,
    }),
  );
  if (!result.Item) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = result.Item;
  return z.parse(visitTokenSchema, rest);
}
