/**
 * The bench's meter, installed in each local Lambda environment when `AFTERCARE_BENCH_METER`
 * is set (see `infra/local/lambda-worker.ts`): SDK middleware that reports, on a
 * BroadcastChannel, every DynamoDB call with its capacity units and every SQS request.
 *
 * dynalite's ConsumedCapacity counts the table only (never the index copies) and only
 * the larger of the item's two images, so writes are computed here from the item before and
 * after (read raw, consistently, by a client without this middleware) by DynamoDB's rules:
 * table: ⌈max(before, after) / 1 KB⌉ (at least 1, a failed condition included); each global
 * secondary index: a put or a delete of its projected copy, both when its key changes, none
 * when the projected attributes are unchanged. Reads take dynalite's figure
 * (ReturnConsumedCapacity TOTAL: ⌈size / 4 KB⌉, half for eventually consistent reads).
 */
import { BroadcastChannel } from 'node:worker_threads';
import {
  type AttributeValue,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { tableKeys } from '#functions/data/table.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { clientOverrides } from '#functions/shared/aws/local-endpoints.ts';
import { sqsClient } from '#functions/shared/aws/sqs.ts';

export const meterChannelName = 'aftercare-bench-meter';
export const meterVariable = 'AFTERCARE_BENCH_METER';

export type MeterRecord =
  | {
      kind: 'dynamodb';
      operation: string;
      /** The item family (key prefixes) or index it touched. */
      target: string;
      /** Write units on the table and on each index; read units in `read`. */
      table: number;
      indexes: Record<string, number>;
      read: number;
      /** The function whose environment made the call. */
      by?: string;
    }
  | { kind: 'sqs'; operation: string; requests: number }
  | { kind: 'invocation'; name: string; memoryMb: number; ms: number };

type Item = Record<string, AttributeValue>;

/** DynamoDB's item size: attribute names and values in UTF-8, numbers ~1 byte per 2 digits. */
export function itemSize(item: Item | undefined): number {
  if (!item) return 0;
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8(name) + valueSize(value);
  return size;
}

function utf8(text: string) {
  return Buffer.byteLength(text, 'utf8');
}

function numberSize(text: string) {
  const digits = text.replace(/^-|\.|e.*$/gi, '').replace(/^0+|0+$/g, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((sum, entry) => sum + utf8(entry), 0);
  if (value.NS) return value.NS.reduce((sum, entry) => sum + numberSize(entry), 0);
  if (value.L) return 3 + value.L.reduce((sum, entry) => sum + 1 + valueSize(entry), 0);
  if (value.M) return 3 + Object.keys(value.M).length + itemSize(value.M);
  return 0;
}

const units = (bytes: number, unit: number) => Math.max(1, Math.ceil(bytes / unit));

interface IndexShape {
  name: string;
  keys: string[];
  /** Attributes copied beside the keys; undefined for ALL. */
  copied?: string[];
}

function project(item: Item, index: IndexShape): Item {
  if (!index.copied) return item;
  const names = new Set([
    tableKeys.partitionKey,
    tableKeys.sortKey,
    ...index.keys,
    ...index.copied,
  ]);
  return Object.fromEntries(Object.entries(item).filter(([name]) => names.has(name)));
}

const inIndex = (item: Item | undefined, index: IndexShape): item is Item =>
  item !== undefined && index.keys.every((name) => item[name] !== undefined);

const same = (a: Item, b: Item) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
const sorted = (item: Item) =>
  Object.keys(item)
    .sort()
    .map((name) => [name, item[name]]);

/** Index write units for one item going from `before` to `after`. */
export function indexWrites(before: Item | undefined, after: Item | undefined, index: IndexShape) {
  const had = inIndex(before, index);
  const has = inIndex(after, index);
  if (!had && !has) return 0;
  if (!had && has) return units(itemSize(project(after as Item, index)), 1024);
  if (had && !has) return units(itemSize(project(before as Item, index)), 1024);
  const old = project(before as Item, index);
  const next = project(after as Item, index);
  const moved = index.keys.some((name) => JSON.stringify(old[name]) !== JSON.stringify(next[name]));
  if (moved) return units(itemSize(old), 1024) + units(itemSize(next), 1024);
  return same(old, next) ? 0 : units(Math.max(itemSize(old), itemSize(next)), 1024);
}

const writeOperations = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
const readOperations = new Set(['GetItem', 'Query', 'BatchGetItem', 'Scan']);
/** `COMPLAINT#…/ASSIGNMENT#…` → `COMPLAINT/ASSIGNMENT`, or the index queried. */
function targetOf(body: z.output<typeof wireInput>): string {
  if (body.IndexName) return `index ${body.IndexName}`;
  const key = (body.Item ?? body.Key ?? {}) as Item;
  const family = (name: string) => (key[name]?.S ?? '?').split('#')[0];
  const partition = body.ExpressionAttributeValues?.[':pk'] as AttributeValue | undefined;
  if (!body.Item && !body.Key && partition?.S) return `${partition.S.split('#')[0]} (query)`;
  return `${family(tableKeys.partitionKey)}/${family(tableKeys.sortKey)}`;
}

const wireInput = z.looseObject({
  IndexName: z.optional(z.string()),
  ExpressionAttributeValues: z.optional(z.record(z.string(), z.unknown())),
  TableName: z.optional(z.string()),
  Item: z.optional(z.record(z.string(), z.unknown())),
  Key: z.optional(z.record(z.string(), z.unknown())),
});
const consumed = z.looseObject({
  ConsumedCapacity: z.optional(
    z.union([
      z.looseObject({ CapacityUnits: z.optional(z.number()) }),
      z.array(z.looseObject({ CapacityUnits: z.optional(z.number()) })),
    ]),
  ),
});

interface WireRequest {
  headers: Record<string, string>;
  body?: unknown;
}
const wireRequest = z.looseObject({ headers: z.record(z.string(), z.string()) });

function requestOf(args: { request?: unknown }): WireRequest {
  // The serialized HTTP request: checked with zod, then used as the live object it is.
  z.parse(wireRequest, args.request);
  return args.request as WireRequest;
}

function operationOf(request: WireRequest): string {
  return String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
}

export function installMeter(): void {
  const channel = new BroadcastChannel(meterChannelName);
  channel.unref();
  const by = process.env.AWS_LAMBDA_FUNCTION_NAME;
  const report = (record: MeterRecord) =>
    channel.postMessage(record.kind === 'dynamodb' && by ? { ...record, by } : record);
  const raw = new DynamoDBClient(clientOverrides('dynamodb'));
  const shapes = new Map<string, Promise<IndexShape[]>>();
  const indexesOf = (tableName: string) => {
    let shape = shapes.get(tableName);
    if (!shape) {
      shape = raw.send(new DescribeTableCommand({ TableName: tableName })).then((described) =>
        (described.Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
          name: index.IndexName ?? '',
          keys: (index.KeySchema ?? []).map((key) => key.AttributeName ?? ''),
          ...(index.Projection?.ProjectionType === 'ALL'
            ? {}
            : { copied: index.Projection?.NonKeyAttributes ?? [] }),
        })),
      );
      shapes.set(tableName, shape);
    }
    return shape;
  };
  const read = async (tableName: string, key: Item) =>
    (await raw.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true })))
      .Item;

  documentClient().middlewareStack.add(
    (next) => async (args) => {
      const request = requestOf(args);
      const operation = operationOf(request);
      const text =
        request.body instanceof Uint8Array
          ? new TextDecoder().decode(request.body)
          : String(request.body);
      const body = z.parse(wireInput, JSON.parse(text));
      const target = targetOf(body);
      if (readOperations.has(operation)) {
        request.body = JSON.stringify({ ...body, ReturnConsumedCapacity: 'TOTAL' });
        request.headers['content-length'] = String(Buffer.byteLength(String(request.body)));
        const result = await next(args);
        const capacity = z.parse(consumed, result.output).ConsumedCapacity;
        const read = Array.isArray(capacity)
          ? capacity.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0)
          : (capacity?.CapacityUnits ?? 0);
        report({ kind: 'dynamodb', operation, target, table: 0, indexes: {}, read });
        return result;
      }
      if (!writeOperations.has(operation) || !body.TableName) {
        report({ kind: 'dynamodb', operation, target, table: 0, indexes: {}, read: 0 });
        return next(args);
      }
      const tableName = body.TableName;
      const source = (body.Item ?? body.Key ?? {}) as Item;
      const key: Item = {};
      for (const name of [tableKeys.partitionKey, tableKeys.sortKey]) {
        const value = source[name];
        if (value) key[name] = value;
      }
      const [indexes, before] = await Promise.all([indexesOf(tableName), read(tableName, key)]);
      try {
        const result = await next(args);
        const after = operation === 'DeleteItem' ? undefined : await read(tableName, key);
        report({
          kind: 'dynamodb',
          operation,
          target,
          table: units(Math.max(itemSize(before), itemSize(after)), 1024),
          indexes: Object.fromEntries(
            indexes.map((index) => [index.name, indexWrites(before, after, index)]),
          ),
          read: 0,
        });
        return result;
      } catch (error) {
        // A failed condition still costs the write units of the item it was checked against.
        report({
          kind: 'dynamodb',
          operation,
          target,
          table: units(itemSize(before), 1024),
          indexes: {},
          read: 0,
        });
        throw error;
      }
    },
    { step: 'build', name: 'benchCapacityMeter', priority: 'high' },
  );
  sqsClient().middlewareStack.add(
    (next) => async (args) => {
      const operation = operationOf(requestOf(args));
      report({ kind: 'sqs', operation, requests: 1 });
      return next(args);
    },
    { step: 'build', name: 'benchRequestMeter', priority: 'high' },
  );
}

/** Reports one invocation's duration (local: read the count, the durations are this machine's). */
export function reportInvocation(name: string, memoryMb: number, ms: number): void {
  const channel = new BroadcastChannel(meterChannelName);
  channel.postMessage({ kind: 'invocation', name, memoryMb, ms } satisfies MeterRecord);
  channel.close();
}
