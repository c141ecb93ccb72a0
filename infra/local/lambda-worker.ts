/**
 * One local Lambda execution environment: a worker thread that imports one handler module
 * and runs the invocations the host posts to it. The host terminates the thread when an
 * invocation outlives the function's timeout, as Lambda stops a timed-out environment.
 */
import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';

const setup = z.object({ url: z.string(), name: z.string(), memoryMb: z.number() });
const invocation = z.object({ id: z.number(), event: z.unknown(), deadline: z.number() });

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const port = parentPort;
if (!port) throw new Error('lambda-worker.ts runs as a worker thread of the local host');
const { url, name, memoryMb } = setup.parse(workerData);
// `npm run bench` counts capacity units and requests per environment (infra/bench).
const meter = process.env.AFTERCARE_BENCH_METER
  ? await import('#infra/bench/capacity-meter.ts')
  : undefined;
meter?.installMeter();
const module: { handler?: Handler } = await import(url);
const handler = module.handler;
if (typeof handler !== 'function') throw new Error(`${url} exports no handler`);

port.on('message', (raw: unknown) => {
  const { id, event, deadline } = invocation.parse(raw);
  const context: Context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  const started = performance.now();
  const settled = () => meter?.reportInvocation(name, memoryMb, performance.now() - started);
  handler(event, context).then(
    (result) => {
      settled();
      port.postMessage({ id, ok: true, result });
    },
    (error: unknown) => {
      settled();
      port.postMessage({
        id,
        ok: false,
        error:
          error instanceof Error
            ? { name: error.name, message: error.message, stack: error.stack ?? '' }
            : { name: 'Error', message: String(error), stack: '' },
      });
    },
  );
});
port.postMessage({ ready: true });
