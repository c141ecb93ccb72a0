/**
 * Worker threads whose modules, their entry included, load through Node's compile cache
 * (keyed by each file's content, in the system's temporary folder). Each thread strips and
 * compiles the TypeScript it imports, a host cost Lambda has not (it runs a bundle built
 * ahead). The entry is started by a few lines of JavaScript that turn the cache on first: a
 * TypeScript entry would start the thread's type stripper before the cache could serve it.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function cachedWorker(entry: URL, options: WorkerOptions): Worker {
  const bootstrap = [
    "const { enableCompileCache, flushCompileCache } = require('node:module');",
    'enableCompileCache();',
    // Written once the entry has loaded, not when the thread ends: a terminated thread would not write it.
    `import(${JSON.stringify(entry.href)}).then(() => flushCompileCache());`,
  ].join('\n');
  return new Worker(bootstrap, { ...options, eval: true });
}
