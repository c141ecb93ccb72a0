/**
 * Runs handlers from the wiring description as Lambda would: each function instance is an
 * execution environment of its own, a worker thread with its own module instance, started
 * on its first invocation. An invocation that outlives the function's timeout is stopped
 * (the thread is terminated, as Lambda stops a timed-out environment) and the next
 * invocation starts a fresh one: nothing timed out keeps running beside it.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import * as z from 'zod/mini';
import { localRegion } from '#functions/shared/aws/local-endpoints.ts';
import type { FunctionName, FunctionSpec } from '#functions/wiring.ts';
import { cachedWorker } from './cached-worker.ts';

export const repositoryRoot = resolve(import.meta.dirname, '../..');

/** A function instance; a wired one by default, the bench's own ones by any name. */
export interface LocalFunction<Name extends string = FunctionName> {
  name: Name;
  spec: FunctionSpec;
  invoke(event: unknown): Promise<unknown>;
  /** Ends the execution environment (and whatever runs in it). */
  stop(): Promise<void>;
}

const workerUrl = new URL('./lambda-worker.ts', import.meta.url);

const answer = z.union([
  z.object({ ready: z.literal(true) }),
  z.object({ id: z.number(), ok: z.literal(true), result: z.unknown() }),
  z.object({
    id: z.number(),
    ok: z.literal(false),
    error: z.object({ name: z.string(), message: z.string(), stack: z.string() }),
  }),
]);

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** An invocation that failed inside the handler, rebuilt with its name and message. */
export class HandlerError extends Error {
  constructor(name: string, message: string, stack: string) {
    super(message);
    this.name = name;
    if (stack) this.stack = stack;
  }
}

/**
 * Host variables every execution environment keeps: logging and the time zone, as on Lambda,
 * the crash test's hook (functions/services/send-once.ts) and the bench's meter
 * (infra/bench/capacity-meter.ts), which only the local host has.
 */
const runtimeVariables = [
  'LOG_LEVEL',
  'TZ',
  'AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE',
  'AFTERCARE_CRASH_AFTER_SES_ACCEPTS',
  'AFTERCARE_BENCH_METER',
];

/** What Lambda's runtime sets for every function, besides the function's own variables. */
export function runtimeEnvironment(name: string): Record<string, string> {
  const environment: Record<string, string> = {
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_REGION: localRegion,
  };
  for (const variable of runtimeVariables) {
    const value = process.env[variable];
    if (value !== undefined) environment[variable] = value;
  }
  return environment;
}

/**
 * One function instance; each `instance` number is a separate execution environment, so
 * module state such as the survey's send pacer is not shared between them. The environment
 * holds `variables()` (read when an execution environment starts) and the runtime's own
 * variables, nothing else of the host's: a variable the function was not given is missing
 * here as it is on AWS.
 */
export async function loadFunction<Name extends string>(
  name: Name,
  spec: FunctionSpec,
  instance = 0,
  variables: () => Record<string, string> = () => ({}),
): Promise<LocalFunction<Name>> {
  const url = pathToFileURL(resolve(repositoryRoot, spec.entry)).href;
  let environment: Environment | undefined;
  const current = () => {
    if (!environment || environment.ended) {
      const env = { ...runtimeEnvironment(name), ...variables() };
      environment = new Environment(url, name, spec, instance, env);
    }
    return environment;
  };
  return {
    name,
    spec,
    invoke: (event) => current().invoke(event),
    async stop() {
      await environment?.end();
    },
  };
}

class Environment {
  ended = false;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private readonly name: string;
  private readonly spec: FunctionSpec;

  constructor(
    url: string,
    name: string,
    spec: FunctionSpec,
    instance: number,
    env: Record<string, string>,
  ) {
    this.name = name;
    this.spec = spec;
    // Loaded through Node's compile cache (see cached-worker.ts); the module instance is fresh.
    this.worker = cachedWorker(workerUrl, {
      // Its own copy: the function sees its variables only, not the host's.
      env,
      name: `${name}#${instance}`,
      workerData: { url, name, memoryMb: spec.memoryMb },
    });
    this.worker.unref();
    this.worker.on('message', (raw: unknown) => this.settle(raw));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', () => this.fail(new Error(`${this.name} environment ended`)));
  }

  invoke(event: unknown): Promise<unknown> {
    const id = this.nextId++;
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    return new Promise<unknown>((resolvePromise, rejectPromise) => {
      const timer = setTimeout(() => {
        const error = new Error(`${this.name} timed out after ${this.spec.timeoutSeconds} s`);
        // Lambda stops the environment; anything else running in it goes with it.
        this.fail(error);
        void this.end();
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolvePromise(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          rejectPromise(error);
        },
      });
      this.worker.ref();
      this.worker.postMessage({ id, event, deadline: Date.now() + timeoutMs });
    });
  }

  async end(): Promise<void> {
    this.ended = true;
    this.fail(new Error(`${this.name} environment stopped`));
    await this.worker.terminate();
  }

  private settle(raw: unknown): void {
    const message = answer.parse(raw);
    if ('ready' in message) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker.unref();
    if (message.ok) pending.resolve(message.result);
    else
      pending.reject(
        new HandlerError(message.error.name, message.error.message, message.error.stack),
      );
  }

  private fail(error: Error): void {
    this.ended = true;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
