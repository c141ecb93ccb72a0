/**
 * dynalite reads the table's description from LevelDB, and parses its JSON, at the start of
 * every request: profiled under the intake bench, 15 % of its thread's time. The local host
 * keeps each description once read and gives every request a copy of its own, as a read
 * would; a create, update or delete of the table (each a write of its description) drops it,
 * when the write starts and again when it ends, so a read that raced the write is not kept.
 */
import { createRequire } from 'node:module';

type Callback = (error: unknown, value?: unknown) => void;
type Method = (...args: unknown[]) => unknown;

const patched = Symbol('dynalite table descriptions cached');

/** Wraps dynalite's store factory (once per thread): each store's table descriptions are kept. */
export function cacheDynaliteTables(): void {
  const require = createRequire(import.meta.url);
  const db: unknown = require('dynalite/db/index.js');
  const create: unknown = Reflect.get(Object(db), 'create');
  if (typeof create !== 'function') throw new Error('dynalite changed: db/index.js has no create');
  if (Reflect.get(create, patched)) return;
  const cachedCreate = (...args: unknown[]) => {
    const store: unknown = Reflect.apply(create, db, args);
    const tableDb: unknown = Reflect.get(Object(store), 'tableDb');
    if (tableDb === undefined) throw new Error('dynalite changed: its store has no tableDb');
    keepDescriptions(Object(tableDb));
    return store;
  };
  Reflect.set(cachedCreate, patched, true);
  Reflect.set(Object(db), 'create', cachedCreate);
}

/** `get(name, callback)` answered from memory once read; `put`, `del` and `batch` drop it. */
export function keepDescriptions(tableDb: object): void {
  // As JSON text (what LevelDB holds): parsing it is the cheapest copy for each reader.
  const kept = new Map<string, string>();
  let writes = 0;
  const method = (name: string): Method => {
    const original: unknown = Reflect.get(tableDb, name);
    if (typeof original !== 'function') throw new Error(`dynalite changed: tableDb has no ${name}`);
    return (...args) => Reflect.apply(original, tableDb, args);
  };
  const get = method('get');
  Reflect.set(tableDb, 'get', (key: unknown, callback: unknown) => {
    if (typeof key !== 'string' || typeof callback !== 'function') return get(key, callback);
    const answer: Callback = (error, value) => Reflect.apply(callback, undefined, [error, value]);
    const text = kept.get(key);
    if (text !== undefined) {
      // Asynchronous, as LevelDB's answer is.
      setImmediate(answer, null, JSON.parse(text));
      return undefined;
    }
    const writesBefore = writes;
    return get(key, (error: unknown, value: unknown) => {
      if (!error && value !== undefined && writes === writesBefore) {
        kept.set(key, JSON.stringify(value));
      }
      answer(error, value);
    });
  });
  for (const name of ['put', 'del', 'batch']) {
    const write = method(name);
    Reflect.set(tableDb, name, (...args: unknown[]) => {
      writes++;
      kept.clear();
      const written = () => {
        writes++;
        kept.clear();
      };
      const last = args.at(-1);
      if (typeof last !== 'function') {
        const result = write(...args);
        if (result instanceof Promise) result.then(written, written);
        return result;
      }
      return write(...args.slice(0, -1), (...results: unknown[]) => {
        written();
        Reflect.apply(last, undefined, results);
      });
    });
  }
}
