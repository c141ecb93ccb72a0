/**
 * The register's items: one narrow row per complaint in its received month's partition
 * (`REGISTER#YYYY-MM`, no copy of the complaint item; a routed complaint's row is also the
 * GM's queue row in `byDepartmentStatus`, see `putRegisterRow`), the month's cached
 * statistics summary beside them, and the export log. Rows are rewritten from the complaint
 * and its case events (only ever forward, by `stamp`); every row write bumps the month's
 * change count (an item of its own: the summary grows with the month's regions and models,
 * and a bump on it would cost a write unit per KB), so a summary that counted fewer changes
 * is recomputed when next read.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { categories, channels, markets, statuses } from '#functions/domain/complaint.ts';
import type { CapaSuggestion, MonthSummary } from '#functions/domain/complaint-statistics.ts';
import { departmentCodes } from '#functions/domain/departments.ts';
import { chinaMonth, type RegisterFilter, type RegisterRow } from '#functions/domain/register.ts';
import { remedyTypes, type Severity } from '#functions/domain/routing.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { tableName, writeIf } from './db.ts';
import { indexKeys, keys } from './keys.ts';
import { ttlAttribute } from './table.ts';

const rowSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    reference: z.string(),
    receivedAt: z.string(),
    channel: z.enum(channels),
    company: z.optional(z.string()),
    customerName: z.string(),
    market: z.enum(markets),
    region: z.string(),
    category: z.enum(categories),
    productModel: z.optional(z.string()),
    batchNo: z.optional(z.string()),
    subject: z.string(),
    owner: z.optional(z.enum(departmentCodes)),
    departments: z.array(z.enum(departmentCodes)),
    rootCause: z.optional(z.string()),
    correctiveAction: z.optional(z.string()),
    remedyType: z.optional(z.enum(remedyTypes)),
    remedyAmount: z.optional(z.number()),
    remedyCurrency: z.optional(z.string()),
    gmApproval: z.optional(z.enum(['not_needed', 'pending', 'approved', 'rejected'])),
    firstResponseAt: z.optional(z.string()),
    respondedAt: z.optional(z.string()),
    closedAt: z.optional(z.string()),
    firstResponseDueAt: z.optional(z.string()),
    resolutionDueAt: z.optional(z.string()),
    firstResponseHours: z.optional(z.number()),
    closeHours: z.optional(z.number()),
    workingDaysToClose: z.optional(z.number()),
    satisfaction: z.optional(z.enum(['satisfied', 'not_satisfied', 'no_reply'])),
    reopenCount: z.int(),
    capaReferences: z.array(z.string()),
    visits: z.optional(z.string()),
    status: z.enum(statuses),
  }),
);

function parseRow(item: Record<string, unknown>): RegisterRow {
  return z.parse(rowSchema, item);
}

/**
 * What the GM's queue shows beside the row's own columns. The GM is told of every complaint
 * and the row is rewritten whenever the complaint moves, so the row is the GM's queue row:
 * no GM assignment item to write at routing and to update at every case event.
 */
export interface GmQueueEntry {
  /** The complaint's `createdAt`: the sort key is the assignments' (`createdAt#id`). */
  createdAt: string;
  severity: Severity;
  /** The deadline the SLA clock watches now; none once the complaint is no longer open. */
  nextDueAt?: string;
}

/**
 * Writes the row unless a newer one is stored (`stamp` orders the complaint's versions; an
 * equal stamp rewrites, so linked CAPA references reach it), then marks its month changed.
 * With `gm`, the row sits in the GM's `byDepartmentStatus` partition of its status: a put
 * that changes the status moves it, one that changes nothing it copies costs the index nothing.
 */
export async function putRegisterRow(
  row: RegisterRow,
  stamp: string,
  gm?: GmQueueEntry,
): Promise<boolean> {
  const month = chinaMonth(row.receivedAt);
  const queue = gm
    ? {
        ...indexKeys.departmentStatus('gm', row.status, gm.createdAt, row.id),
        severity: gm.severity,
        ...(gm.nextDueAt ? { nextDueAt: gm.nextDueAt } : {}),
      }
    : {};
  const written = await writeIf(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.registerRow(month, row.receivedAt, row.id), ...row, ...queue, stamp },
      ConditionExpression: 'attribute_not_exists(pk) OR stamp <= :stamp',
      ExpressionAttributeValues: { ':stamp': stamp },
    }),
  );
  // Even when the write found a newer row: the writer of that row may have died before this.
  await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.registerChanges(month),
      UpdateExpression: 'ADD changes :one',
      ExpressionAttributeValues: { ':one': 1 },
    }),
  );
  return written;
}

function filterExpression(filter: RegisterFilter) {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const name of ['category', 'status', 'market', 'region', 'productModel'] as const) {
    const value = filter[name];
    if (value === undefined) continue;
    parts.push(`#${name} = :${name}`);
    names[`#${name}`] = name;
    values[`:${name}`] = value;
  }
  if (filter.department !== undefined) {
    parts.push('contains(departments, :department)');
    values[':department'] = filter.department;
  }
  return { parts, names, values };
}

export interface RowPage {
  rows: RegisterRow[];
  /** The sort key to continue after within the month; absent when the month is done. */
  next?: string;
}

/** Rows of one month received in [start, end), oldest first, after the sort key `after`. */
export async function registerRowsOfMonth(
  month: string,
  range: { start: string; end: string },
  filter: RegisterFilter,
  limit: number,
  after?: string,
): Promise<RowPage> {
  const partition = keys.registerMonth(month);
  const filters = filterExpression(filter);
  const result = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ...(filters.parts.length ? { FilterExpression: filters.parts.join(' AND ') } : {}),
      ...(Object.keys(filters.names).length ? { ExpressionAttributeNames: filters.names } : {}),
      ExpressionAttributeValues: {
        ':pk': partition.pk,
        ':from': `${partition.skPrefix}${range.start}`,
        // The end is exclusive: `ROW#<end>` sorts after every row received before it.
        ':to': `${partition.skPrefix}${range.end}`,
        ...filters.values,
      },
      Limit: limit,
      ...(after ? { ExclusiveStartKey: { pk: partition.pk, sk: after } } : {}),
    }),
  );
  const rows = (result.Items ?? []).map(parseRow);
  const last = result.LastEvaluatedKey?.sk;
  return { rows, ...(typeof last === 'string' ? { next: last } : {}) };
}

const changesItemSchema = z.lazy(() => z.object({ changes: z.optional(z.number()) }));

const summaryItemSchema = z.lazy(() =>
  z.object({
    /** The change count the summary was computed after. */
    countedChanges: z.optional(z.number()),
    summary: z.optional(z.record(z.string(), z.unknown())),
  }),
);

const tallySchema = z.lazy(() => z.record(z.string(), z.number()));
const monthSummarySchema = z.lazy(() =>
  z.object({
    total: z.number(),
    byCategory: tallySchema,
    byProductModel: tallySchema,
    byRegion: tallySchema,
    byMarket: tallySchema,
    byChannel: tallySchema,
    byDepartment: tallySchema,
    firstResponse: z.object({ onTime: z.number(), measured: z.number() }),
    resolution: z.object({ onTime: z.number(), measured: z.number() }),
    firstResponseHours: tallySchema,
    closeHours: tallySchema,
    satisfaction: z.object({ satisfied: z.number(), answered: z.number() }),
    reopened: z.number(),
    compensation: z.record(z.string(), z.object({ total: z.number(), count: z.number() })),
  }),
);

export interface StoredSummary {
  changes: number;
  /** The summary, when it counts every change made so far. */
  fresh?: MonthSummary;
}

/** The month's change count and its summary: both items in one Query. */
export async function getMonthSummary(month: string): Promise<StoredSummary> {
  const summaryKey = keys.registerSummary(month);
  const result = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :summary)',
      ExpressionAttributeValues: { ':pk': summaryKey.pk, ':summary': summaryKey.sk },
    }),
  );
  const items = result.Items ?? [];
  const found = (sk: string) => items.find((item) => item.sk === sk) ?? {};
  const changes = z.parse(changesItemSchema, found(keys.registerChanges(month).sk)).changes ?? 0;
  const item = z.parse(summaryItemSchema, found(summaryKey.sk));
  const fresh =
    item.summary && item.countedChanges === changes
      ? z.parse(monthSummarySchema, item.summary)
      : undefined;
  return { changes, ...(fresh ? { fresh } : {}) };
}

/** The month's change count alone (what a cache of figures over several months is keyed by). */
export async function monthChanges(month: string): Promise<number> {
  const result = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: keys.registerChanges(month) }),
  );
  return z.parse(changesItemSchema, result.Item ?? {}).changes ?? 0;
}

/** Stores a summary computed after `changes` were seen; never replaces a later one. */
export async function putMonthSummary(
  month: string,
  summary: MonthSummary,
  changes: number,
): Promise<void> {
  await writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.registerSummary(month),
      // The count once kept on this item, and what was counted against it, go with it.
      UpdateExpression:
        'SET summary = :summary, countedChanges = :seen REMOVE changes, summarisedChanges',
      ConditionExpression: 'attribute_not_exists(countedChanges) OR countedChanges < :seen',
      ExpressionAttributeValues: { ':summary': summary, ':seen': changes },
    }),
  );
}

const exportEntrySchema = z.lazy(() =>
  z.object({
    id: z.string(),
    at: z.string(),
    by: z.object({ email: z.string(), name: z.string() }),
    what: z.enum(['register', 'statistics', 'review']),
    format: z.enum(['csv', 'xlsx', 'json']),
    period: z.object({ from: z.string(), to: z.string() }),
    filter: z.record(z.string(), z.string()),
    rows: z.number(),
  }),
);
export type ExportEntry = z.output<typeof exportEntrySchema>;

/** The export history: who exported what, when (kept, never edited). */
export async function recordExport(entry: ExportEntry): Promise<void> {
  const year = Number(entry.at.slice(0, 4));
  await writeIf(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.exportLog(year, entry.at, entry.id), ...entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/** The latest exports of a year, newest first. */
export async function recentExports(year: number, limit: number): Promise<ExportEntry[]> {
  const result = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.exportLog(year, '', '').pk },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (result.Items ?? []).map((item) => z.parse(exportEntrySchema, item));
}

/** Statistics downloads are logged too (served directly: a few kilobytes). */
export async function logStatisticsExport(
  period: { from: string; to: string },
  format: 'csv' | 'json',
  by: { email: string; name: string },
  now: Date,
): Promise<void> {
  await recordExport({
    id: randomUUID(),
    at: now.toISOString(),
    by,
    what: 'statistics',
    format,
    period,
    filter: {},
    rows: 0,
  });
}

const suggestionsItemSchema = z.lazy(() =>
  z.object({
    stamp: z.string(),
    suggestions: z.array(
      z.object({
        category: z.enum(categories),
        productModel: z.string(),
        count: z.number(),
        references: z.array(z.string()),
        firstReceivedAt: z.string(),
        lastReceivedAt: z.string(),
      }),
    ),
  }),
);

/** The cached suggestions of the window ending on `day`, and the stamp they were made at. */
export async function getCachedSuggestions(
  day: string,
): Promise<{ stamp: string; suggestions: CapaSuggestion[] } | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: keys.registerSuggestions(day) }),
  );
  return result.Item ? z.parse(suggestionsItemSchema, result.Item) : undefined;
}

/** Kept a month from `now`: a day's suggestions are asked for around that day. */
export async function putCachedSuggestions(
  day: string,
  stamp: string,
  suggestions: CapaSuggestion[],
  now: Date,
): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.registerSuggestions(day),
        stamp,
        suggestions,
        [ttlAttribute]: Math.floor(now.getTime() / 1000) + 31 * 86_400,
      },
    }),
  );
}

/** How many references the year has handed out (numbers are never reused; gaps are possible). */
export async function referencesAllocated(year: number): Promise<number> {
  const result = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: keys.counter('complaint-reference', year) }),
  );
  const value = result.Item?.value;
  return typeof value === 'number' ? value : 0;
}
