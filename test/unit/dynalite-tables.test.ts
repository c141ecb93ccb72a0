/**
 * The local host keeps dynalite's table descriptions once read (infra/local/dynalite-tables.ts):
 * a read after a write sees the write, a read that raced a write is not kept, and each read
 * gets a copy of its own. Then, on a real dynalite: the table's changes show at once.
 */

import type { Server } from 'node:http';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDynaliteTables, keepDescriptions } from '#infra/local/dynalite-tables.ts';
import { closeServer, listen } from '#infra/local/servers.ts';

type Callback = (error: unknown, value?: unknown) => void;

/** A store of descriptions that counts its reads and answers a write when told to. */
function fakeTableDb() {
  const values = new Map<string, unknown>([['complaints', { TableStatus: 'ACTIVE', n: 1 }]]);
  const pendingWrites: (() => void)[] = [];
  const store = {
    reads: 0,
    get(key: string, callback: Callback) {
      store.reads++;
      const value = structuredClone(values.get(key));
      setImmediate(() => callback(value === undefined ? new Error('NotFoundError') : null, value));
    },
    put(key: string, value: unknown, callback: Callback) {
      pendingWrites.push(() => {
        values.set(key, value);
        callback(null);
      });
    },
    del(key: string, callback: Callback) {
      pendingWrites.push(() => {
        values.delete(key);
        callback(null);
      });
    },
    batch(_operations: unknown[], callback: Callback) {
      pendingWrites.push(() => callback(null));
    },
    finishWrites() {
      for (const finish of pendingWrites.splice(0)) finish();
    },
  };
  return store;
}

const read = (store: { get(key: string, callback: Callback): unknown }, key: string) =>
  new Promise<unknown>((resolve, reject) =>
    store.get(key, (error, value) => (error ? reject(error) : resolve(value))),
  );
const write = (
  store: { put(key: string, value: unknown, callback: Callback): unknown },
  value: unknown,
) => new Promise<void>((resolve) => store.put('complaints', value, () => resolve()));

describe('table descriptions kept in memory', () => {
  it('reads the store once, and gives each reader a copy of its own', async () => {
    const store = fakeTableDb();
    keepDescriptions(store);
    const first = await read(store, 'complaints');
    Reflect.set(Object(first), 'n', 99);
    expect(await read(store, 'complaints')).toEqual({ TableStatus: 'ACTIVE', n: 1 });
    expect(store.reads).toBe(1);
  });

  it('reads the store again after a write, and never keeps a read that raced one', async () => {
    const store = fakeTableDb();
    keepDescriptions(store);
    await read(store, 'complaints');
    const written = write(store, { TableStatus: 'UPDATING', n: 2 });
    // Started while the write is under way: answered from the store, and not kept.
    expect(await read(store, 'complaints')).toEqual({ TableStatus: 'ACTIVE', n: 1 });
    store.finishWrites();
    await written;
    expect(await read(store, 'complaints')).toEqual({ TableStatus: 'UPDATING', n: 2 });
    expect(await read(store, 'complaints')).toEqual({ TableStatus: 'UPDATING', n: 2 });
    expect(store.reads).toBe(3);
  });

  it('keeps no error: a table not found is looked for again', async () => {
    const store = fakeTableDb();
    keepDescriptions(store);
    await expect(read(store, 'missing')).rejects.toThrow('NotFoundError');
    await expect(read(store, 'missing')).rejects.toThrow('NotFoundError');
    expect(store.reads).toBe(2);
  });
});

describe('on dynalite', () => {
  let server: Server;
  let client: DynamoDBClient;
  beforeAll(async () => {
    cacheDynaliteTables();
    server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
    const port = await listen(server, 0, '127.0.0.1');
    client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    client?.destroy();
    if (server) await closeServer(server);
  });

  it('shows a table change to the next request', async () => {
    await client.send(
      new CreateTableCommand({
        TableName: 'kept',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await client.send(new PutItemCommand({ TableName: 'kept', Item: { pk: { S: 'a' } } }));
    expect(
      (await client.send(new GetItemCommand({ TableName: 'kept', Key: { pk: { S: 'a' } } }))).Item,
    ).toEqual({ pk: { S: 'a' } });
    await client.send(
      new UpdateTableCommand({
        TableName: 'kept',
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 },
      }),
    );
    const described = await client.send(new DescribeTableCommand({ TableName: 'kept' }));
    expect(described.Table?.ProvisionedThroughput?.ReadCapacityUnits).toBe(7);
  });
});
