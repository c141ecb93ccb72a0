/**
 * The statistics page's cost at different numbers of stored complaints: a year of register
 * rows is seeded straight into the local table (batch writes: seeding only, the code has
 * none), then the year's statistics are computed cold (month summaries built from the rows
 * and cached) and warm (from the cache), the register's first page is read, and the whole
 * year's register is exported as XLSX and CSV.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { keys } from '#functions/data/keys.ts';
import { categories, channels } from '#functions/domain/complaint.ts';
import { provinces } from '#functions/domain/regions.ts';
import type { RegisterRow } from '#functions/domain/register.ts';
import {
  computeStatistics,
  registerPage,
  type StatisticsCost,
} from '#functions/services/register.ts';
import { registerFile } from '#functions/services/register-export.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { environmentNames } from '#functions/wiring.ts';
import { localTableName, startLocalHost } from '#infra/local/host.ts';
import { itemSize } from './capacity-meter.ts';

export interface StatisticsBench {
  complaints: number;
  seedSeconds: number;
  cold: { ms: number; cost: StatisticsCost };
  warm: { ms: number; cost: StatisticsCost };
  registerPageMs: number;
  /** The largest month summary item, in DynamoDB's bytes (what a bump on it would cost). */
  largestSummaryBytes: number;
  /** The whole year's register as XLSX and as CSV: time and size (held once in memory). */
  exports: { format: 'xlsx' | 'csv'; ms: number; bytes: number }[];
}

const exportCountries = ['DE', 'FR', 'IT', 'ES', 'GB', 'US', 'AU', 'AE', 'SA', 'VN', 'TH', 'MY'];

function syntheticRow(year: number, index: number, count: number): RegisterRow {
  // Spread evenly over the year, at working hours China time.
  const dayOfYear = Math.floor((index / count) * 364);
  const received = new Date(Date.UTC(year, 0, 1 + dayOfYear, 2, index % 60));
  const receivedAt = received.toISOString();
  const closed = index % 3 !== 0;
  return {
    id: `bench-${year}-${index}`,
    reference: `FB-${year}-${String(index + 1).padStart(6, '0')}`,
    receivedAt,
    channel: channels[index % channels.length] ?? 'web',
    company: 'Bench Windows Ltd',
    customerName: 'Bench Customer',
    market: index % 4 === 0 ? 'export' : 'domestic',
    // Every province, and a dozen export countries: a month's summary tallies them all.
    region:
      index % 4 === 0
        ? (exportCountries[index % exportCountries.length] ?? 'DE')
        : (provinces[index % provinces.length]?.code ?? 'CN-GD'),
    category: categories[index % categories.length] ?? 'quality',
    productModel: `M-${index % 40}`,
    subject: `Bench complaint ${index}`,
    owner: index % 4 === 0 ? 'export' : 'sales',
    departments: ['gm', index % 4 === 0 ? 'export' : 'sales'],
    firstResponseAt: new Date(received.getTime() + 3_600_000).toISOString(),
    firstResponseDueAt: new Date(received.getTime() + 4 * 3_600_000).toISOString(),
    firstResponseHours: 1 + (index % 5),
    ...(closed
      ? {
          respondedAt: new Date(received.getTime() + 2 * 86_400_000).toISOString(),
          resolutionDueAt: new Date(received.getTime() + 3 * 86_400_000).toISOString(),
          closedAt: new Date(received.getTime() + 3 * 86_400_000).toISOString(),
          closeHours: 18 + (index % 20),
          workingDaysToClose: 2,
          satisfaction: index % 5 === 0 ? 'not_satisfied' : 'satisfied',
        }
      : {}),
    reopenCount: index % 17 === 0 ? 1 : 0,
    capaReferences: [],
    status: closed ? 'closed' : 'in_progress',
  };
}

async function seed(year: number, count: number): Promise<void> {
  const batches: RegisterRow[][] = [];
  for (let start = 0; start < count; start += 25) {
    batches.push(
      Array.from({ length: Math.min(25, count - start) }, (_, offset) =>
        syntheticRow(year, start + offset, count),
      ),
    );
  }
  let next = 0;
  const worker = async () => {
    for (let batch = batches[next++]; batch; batch = batches[next++]) {
      let items: Record<string, unknown>[] = batch.map((row) => ({
        PutRequest: {
          Item: {
            ...keys.registerRow(
              new Date(Date.parse(row.receivedAt) + 8 * 3_600_000).toISOString().slice(0, 7),
              row.receivedAt,
              row.id,
            ),
            ...row,
            stamp: '00000005#1',
          },
        },
      }));
      while (items.length) {
        const result = await documentClient().send(
          new BatchWriteCommand({ RequestItems: { [localTableName]: items } }),
        );
        items = result.UnprocessedItems?.[localTableName] ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

async function largestSummaryBytes(year: number): Promise<number> {
  const sizes = await Promise.all(
    Array.from({ length: 12 }, async (_, index) => {
      const month = `${year}-${String(index + 1).padStart(2, '0')}`;
      const { Item } = await documentClient().send(
        new GetCommand({ TableName: localTableName, Key: keys.registerSummary(month) }),
      );
      return Item ? itemSize(marshall(Item)) : 0;
    }),
  );
  return Math.max(...sizes);
}

async function timed<T>(step: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await step();
  return { ms: performance.now() - started, value };
}

export async function measureStatistics(sizes: readonly number[]): Promise<StatisticsBench[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'aftercare-bench-'));
  const host = await startLocalHost({ port: 0, sesPort: 0, dataDir, clock: false });
  process.env[environmentNames.tableName] = localTableName;
  try {
    const results: StatisticsBench[] = [];
    for (const [index, complaints] of sizes.entries()) {
      // A year of its own per size, so one size's cache never serves another.
      const year = 2040 + index;
      const seeded = await timed(() => seed(year, complaints));
      const now = new Date(Date.UTC(year + 1, 0, 10));
      const run = () => computeStatistics(`${year}-01-01`, `${year}-12-31`, { now });
      const cold = await timed(run);
      const warm = await timed(run);
      const page = await timed(() =>
        registerPage({ from: `${year}-01-01`, to: `${year}-12-31`, filter: {} }, 50),
      );
      const exports: StatisticsBench['exports'] = [];
      for (const format of ['xlsx', 'csv'] as const) {
        const file = await timed(() =>
          registerFile({ from: `${year}-01-01`, to: `${year}-12-31`, filter: {} }, format),
        );
        if (file.value.rows !== complaints) throw new Error(`Exported ${file.value.rows} rows`);
        exports.push({
          format,
          ms: file.ms,
          bytes: file.value.body.length,
        });
      }
      if (cold.value.figures.total !== complaints || warm.value.figures.total !== complaints) {
        throw new Error(`Counted ${warm.value.figures.total} of ${complaints} complaints`);
      }
      results.push({
        complaints,
        seedSeconds: seeded.ms / 1000,
        cold: { ms: cold.ms, cost: cold.value.cost },
        warm: { ms: warm.ms, cost: warm.value.cost },
        registerPageMs: page.ms,
        largestSummaryBytes: await largestSummaryBytes(year),
        exports,
      });
    }
    return results;
  } finally {
    await host.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
