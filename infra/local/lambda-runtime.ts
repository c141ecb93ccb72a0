/** Loads handlers from the wiring description and invokes them as Lambda would. */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { FunctionName, FunctionSpec } from '../../functions/wiring.ts';

export const repositoryRoot = resolve(import.meta.dirname, '../..');

// Handlers are typed per trigger in their own modules; here they are invoked generically.
type Handler = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalFunction {
  name: FunctionName;
  spec: FunctionSpec;
  invoke(event: unknown): Promise<unknown>;
}

/** Loads a handler; each `instance` above 0 is a separate module instance, like another execution environment. */
export async function loadFunction(
  name: FunctionName,
  spec: FunctionSpec,
  instance = 0,
): Promise<LocalFunction> {
  const url = pathToFileURL(resolve(repositoryRoot, spec.entry));
  if (instance > 0) url.search = `instance=${instance}`;
  const module: { handler?: Handler } = await import(url.href);
  const handler = module.handler;
  if (typeof handler !== 'function') throw new Error(`${spec.entry} exports no handler`);
  return {
    name,
    spec,
    invoke: (event) => invokeWithTimeout(handler, event, name, spec),
  };
}

async function invokeWithTimeout(
  handler: Handler,
  event: unknown,
  name: string,
  spec: FunctionSpec,
): Promise<unknown> {
  const deadline = Date.now() + spec.timeoutSeconds * 1000;
  const context: Context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: String(spec.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${name} timed out after ${spec.timeoutSeconds} s`)),
      spec.timeoutSeconds * 1000,
    );
  });
  try {
    return await Promise.race([handler(event, context), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
