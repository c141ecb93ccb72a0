/**
 * dynalite and fauxqs started on the calling thread: what `stand-in-thread.ts` runs, kept
 * apart from the rest of the stand-ins so that each thread imports only its own.
 */
import type { Server } from 'node:http';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import dynalite from 'dynalite';
import { startFauxqs } from 'fauxqs';
import { cacheDynaliteExpressions } from './dynalite-expressions.ts';
import { cacheDynaliteTables } from './dynalite-tables.ts';
import { closeServer, listen } from './servers.ts';
import type { StandIn } from './stand-ins.ts';

/** dynalite on the calling thread. */
export async function startDynamoDbHere(dataDir: string, port: number): Promise<StandIn> {
  cacheDynaliteExpressions();
  cacheDynaliteTables();
  const server = dynalite({
    path: join(dataDir, 'dynamodb'),
    createTableMs: 0,
    deleteTableMs: 0,
  }) as Server;
  const actual = await listen(server, port, '127.0.0.1');
  return { endpoint: `http://127.0.0.1:${actual}`, port: actual, stop: () => closeServer(server) };
}

/** fauxqs on the calling thread. */
export async function startSqsHere(dataDir: string, port: number): Promise<StandIn> {
  await relaxFauxqsSync();
  const server = await startFauxqs({
    port,
    logger: false,
    dataDir: join(dataDir, 'sqs'),
  });
  return { endpoint: server.address, port: server.port, stop: () => server.stop() };
}

/**
 * fauxqs keeps every message in SQLite (WAL) and writes through on each send, receive and
 * delete with SQLite's default `synchronous = FULL`: an fsync per message operation, on the
 * thread that answers SQS. Profiled, these writes were the largest single cost of a
 * complaint or a survey mail on the local host. `NORMAL` in WAL mode still survives the
 * process being killed (the crash test kills it), as dynalite's LevelDB, which never
 * fsyncs, does; it gives up only a power cut's last transactions. fauxqs has no option for
 * it, so its database is set up this way as it opens (its PersistenceManager, same module).
 */
async function relaxFauxqsSync(): Promise<void> {
  const persistence: unknown = await import(
    new URL('./persistence.js', import.meta.resolve('fauxqs')).href
  );
  const manager: unknown = Reflect.get(Object(persistence), 'PersistenceManager');
  const prototype: unknown = typeof manager === 'function' ? manager.prototype : undefined;
  const prepare: unknown = prototype ? Reflect.get(Object(prototype), 'prepareStatements') : 0;
  if (typeof prepare !== 'function') {
    throw new Error('fauxqs changed: its PersistenceManager.prepareStatements is gone');
  }
  if (Reflect.get(prepare, relaxed)) return;
  const wrapped = function (this: unknown) {
    const db: unknown = Reflect.get(Object(this), 'db');
    if (db instanceof DatabaseSync) db.exec('PRAGMA synchronous = NORMAL');
    return Reflect.apply(prepare, this, []);
  };
  Reflect.set(wrapped, relaxed, true);
  Reflect.set(Object(prototype), 'prepareStatements', wrapped);
}

const relaxed = Symbol('synchronous = NORMAL');
