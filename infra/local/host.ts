/**
 * The local host: the whole system in one process with no AWS account. It starts the
 * stand-ins, creates what the stack would create, and hosts every function of the wiring
 * description behind a local API Gateway, SQS pollers and a scheduler clock.
 */

import { createServer, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  clientOverrides,
  localEndpointVariables,
  localRegion,
} from '#functions/shared/aws/local-endpoints.ts';
import {
  batchSizeFor,
  type Deployment,
  environmentFor,
  type FunctionName,
  type FunctionSpec,
  functionSpecs,
  functions as functionsOfWiring,
  type QueueName,
  settingsOf,
} from '#functions/wiring.ts';
import { answerFromRoutes, routesOf } from './api-gateway.ts';
import { Activity, drained } from './drain.ts';
import { type LocalFunction, loadFunction, repositoryRoot } from './lambda-runtime.ts';
import { recordLocalTarget } from './operator-target.ts';
import {
  ensureBucket,
  ensureMailEventTopic,
  ensureQueues,
  ensureStaffPool,
  ensureTable,
  seedConfiguration,
} from './provision.ts';
import { type LocalSchedule, schedulesOf, startClock } from './scheduler.ts';
import { closeServer, listen } from './servers.ts';
import { type Poller, startPoller } from './sqs-pollers.ts';
import {
  type SesFault,
  type SesOptions,
  type StandIn,
  startCognito,
  startDynamoDb,
  startSes,
  startSqs,
} from './stand-ins.ts';

export interface LocalHostOptions {
  /** API port; 0 picks a free one. */
  port?: number;
  sesPort?: number;
  dynamodbPort?: number;
  sqsPort?: number;
  cognitoPort?: number;
  /** Where dynalite and fauxqs keep their data; a restart on the same folder keeps everything. */
  dataDir?: string;
  listenHost?: string;
  visibilityTimeoutSeconds?: number;
  /** Run schedules on their clock (tests fire them by hand instead). */
  clock?: boolean;
  /**
   * Values for settings the functions declare, e.g. shorter grace periods in tests; each
   * function gets only its own, as on AWS (a setting no function declares is an error).
   */
  settings?: Record<string, string>;
  /** SES errors to answer for some recipients, to see the consumer's error handling. */
  sesFaults?: SesFault[];
  /**
   * Functions served beside the wiring's, for the bench only (infra/bench): each answers its
   * HTTP routes through the same local API Gateway and worker threads as a wired function,
   * with the variables the wiring gives its spec, plus `variables()`. Not in the wiring: they
   * are no part of the product.
   */
  benchFunctions?: BenchFunction[];
  report?: (message: string, error?: unknown) => void;
}

export interface BenchFunction {
  name: string;
  /** Only HTTP routes are served; `sendsTo` names wired queues (whose consumers see its messages). */
  spec: FunctionSpec;
  /** Read when an execution environment starts (after the host has started). */
  variables?: () => Record<string, string>;
}

export interface LocalHost {
  url: string;
  mailboxUrl: string;
  endpoints: Record<keyof typeof localEndpointVariables, string>;
  queueUrls: Record<QueueName, string>;
  /** The SNS topic SES's events about our mail are published to (on fauxqs). */
  mailEventTopicArn: string;
  staffIdentity: Deployment['staffIdentity'];
  dataDir: string;
  /**
   * Resolves when nothing is left to do: no invocation running (HTTP, queue or schedule) and
   * every queue empty, nothing in flight or waiting for a retry; rejects after `timeoutMs`.
   */
  drained(timeoutMs?: number): Promise<void>;
  /** Fires a schedule now, or as if at `at` (the `scheduledTime` the function is given). */
  fire(schedule: string, at?: Date): Promise<unknown>;
  /** Takes the SES stand-in down and back up on its port, as an SES outage would. */
  stopSes(): Promise<void>;
  startSes(): Promise<void>;
  /**
   * Changes variables the functions already have (`undefined` restores the deployed value),
   * as updating a function's configuration does on AWS: the execution environments of the
   * functions that have one of them (of `only`, if given) end, and their next invocation
   * starts with the change.
   */
  reconfigure(variables: Record<string, string | undefined>, only?: FunctionName[]): Promise<void>;
  /** The variables a function's execution environments start with (besides the runtime's). */
  variablesOf(name: FunctionName): Record<string, string>;
  stop(): Promise<void>;
}

export const localTableName = 'aftercare';
export const localAttachmentsBucket = 'aftercare-attachments';
const localQueuePrefix = 'aftercare';

export async function startLocalHost(options: LocalHostOptions = {}): Promise<LocalHost> {
  const report = options.report ?? (() => undefined);
  for (const setting of Object.keys(options.settings ?? {})) {
    if (!declaredSettings.has(setting))
      throw new Error(`No function declares the setting ${setting}`);
  }
  const dataDir = resolve(options.dataDir ?? resolve(repositoryRoot, '.data'));
  const standIns: StandIn[] = [];
  const pollers: Poller[] = [];
  /** Every function instance, so stopping the host ends their execution environments. */
  const loaded: LocalFunction[] = [];
  const benchLoaded: LocalFunction<string>[] = [];
  let stopClock = () => {};
  let ready = false;
  let schedules: LocalSchedule[] = [];
  let routes: ReturnType<typeof routesOf> = [];
  let reconfigureFunctions: LocalHost['reconfigure'] = async () => {};
  const activity = new Activity();
  let whenDrained: LocalHost['drained'] = async () => {};

  const server = createServer((request, response) => {
    // A request target the URL parser refuses (`//[`) is a bad request, not a crashed host.
    const url = URL.parse(request.url ?? '/', 'http://localhost');
    if (!url) return respondJson(response, 400, { message: 'Bad request' });
    if (url.pathname === '/health' && request.method === 'GET') {
      response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: ready ? 'ok' : 'starting' }));
      return;
    }
    const fireMatch = /^\/__local\/schedules\/([\w-]+)$/.exec(url.pathname);
    if (fireMatch && request.method === 'POST') {
      const at = url.searchParams.get('at');
      const when = at === null ? undefined : new Date(at);
      if (when && Number.isNaN(when.getTime())) {
        return respondJson(response, 400, { error: `at is not a time: ${at}` });
      }
      fireSchedule(fireMatch[1] as string, when).then(
        (result) => respondJson(response, 200, { schedule: fireMatch[1], result }),
        (error: unknown) =>
          respondJson(response, error instanceof UnknownSchedule ? 404 : 500, {
            error: error instanceof Error ? error.message : String(error),
          }),
      );
      return;
    }
    if (url.pathname === '/__local/drained' && request.method === 'GET') {
      whenDrained().then(
        () => respondJson(response, 200, { drained: true }),
        (error: unknown) =>
          respondJson(response, 503, { error: error instanceof Error ? error.message : '' }),
      );
      return;
    }
    if (!ready) return respondJson(response, 503, { message: 'Starting' });
    answerFromRoutes(routes, request, response, url).then(
      (outcome) => {
        if (outcome === 'no_route')
          respondJson(response, 404, { error: 'not_found', message: 'No such route' });
      },
      (error: unknown) => {
        report('request failed', error);
        if (!response.headersSent) respondJson(response, 500, { message: 'Internal server error' });
      },
    );
  });

  const fireSchedule = async (name: string, at?: Date) => {
    const schedule = schedules.find((candidate) => candidate.name === name);
    if (!schedule) throw new UnknownSchedule(name);
    return schedule.fire(at);
  };

  try {
    const port = await listen(server, options.port ?? 3000, options.listenHost ?? '127.0.0.1');
    const url = `http://localhost:${port}`;

    // Side by side: each starts on its own (two of them on threads of their own).
    const started = await Promise.allSettled([
      startDynamoDb(dataDir, options.dynamodbPort ?? 0),
      startSqs(dataDir, options.sqsPort ?? 0),
      startCognito(dataDir, options.cognitoPort ?? 0),
    ]);
    for (const result of started) if (result.status === 'fulfilled') standIns.push(result.value);
    const [dynamodb, sqs, cognito] = [
      startedOrThrow(started[0]),
      startedOrThrow(started[1]),
      startedOrThrow(started[2]),
    ];
    process.env[localEndpointVariables.dynamodb] = dynamodb.endpoint;
    process.env[localEndpointVariables.sqs] = sqs.endpoint;
    process.env[localEndpointVariables.cognito] = cognito.endpoint;
    const sqsClient = new SQSClient(clientOverrides('sqs'));
    const dynamoClient = new DynamoDBClient(clientOverrides('dynamodb'));
    const staffIdentity = await ensureStaffPool(
      new CognitoIdentityProviderClient(clientOverrides('cognito')),
      cognito.endpoint,
    );
    const s3Overrides = () => ({ ...clientOverrides('s3'), forcePathStyle: true });
    // fauxqs answers S3 on its SQS endpoint.
    process.env[localEndpointVariables.s3] = sqs.endpoint;

    await ensureTable(dynamoClient, localTableName, report);
    const queueUrls = await ensureQueues(sqsClient, {
      prefix: localQueuePrefix,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
    });
    // SES's event destination: the stand-in publishes each accepted mail's Send event here.
    const mailEventTopicArn = await ensureMailEventTopic(
      new SNSClient(clientOverrides('sqs')),
      sqsClient,
      localQueuePrefix,
      queueUrls,
    );
    const sesOptions: SesOptions = {
      ...(options.sesFaults ? { faults: options.sesFaults } : {}),
      events: { snsEndpoint: sqs.endpoint, topicArn: mailEventTopicArn, dataDir, activity },
    };
    let ses = await startSes(options.sesPort ?? 8005, sesOptions);
    const sesPort = ses.port;
    process.env[localEndpointVariables.ses] = ses.endpoint;
    const endpoints = {
      dynamodb: dynamodb.endpoint,
      sqs: sqs.endpoint,
      ses: ses.endpoint,
      cognito: cognito.endpoint,
      s3: sqs.endpoint,
    };
    await ensureBucket(new S3Client(s3Overrides()), localAttachmentsBucket);
    const deployment: Deployment = {
      tableName: localTableName,
      attachmentsBucket: localAttachmentsBucket,
      queueUrls,
      publicBaseUrl: url,
      mail: { from: 'Aftercare <aftercare@example.com>', replyTo: 'service@example.com' },
      staffIdentity,
    };
    if (options.settings) deployment.settings = options.settings;
    // This process is the operator (seeding, a test's direct calls): it may use every
    // variable. Each function gets only its own (`variablesOf`).
    Object.assign(process.env, operatorEnvironment(deployment));
    await seedConfiguration();

    /** Changed variables, per function. */
    const overrides = new Map<FunctionName, Record<string, string>>();
    const variablesOf = (name: FunctionName) => () => {
      const own = {
        ...localEndpoints(endpoints),
        ...environmentFor(functionsOfWiring[name], deployment),
      };
      for (const [variable, value] of Object.entries(overrides.get(name) ?? {})) {
        if (variable in own) own[variable] = value;
      }
      return own;
    };
    reconfigureFunctions = async (variables, only) => {
      const affected = loaded.filter(
        (fn) =>
          (only === undefined || only.includes(fn.name)) &&
          Object.keys(variables).some((variable) => variable in variablesOf(fn.name)()),
      );
      for (const fn of affected) {
        const changed = { ...overrides.get(fn.name) };
        for (const [variable, value] of Object.entries(variables)) {
          if (value === undefined) delete changed[variable];
          else changed[variable] = value;
        }
        overrides.set(fn.name, changed);
      }
      await Promise.all(affected.map((fn) => fn.stop()));
    };

    const functions: LocalFunction[] = [];
    for (const [name, spec] of functionSpecs()) {
      functions.push(activity.track(await loadFunction(name, spec, 0, variablesOf(name))));
    }
    loaded.push(...functions);
    for (const bench of options.benchFunctions ?? []) {
      if (bench.spec.trigger.kind !== 'http')
        throw new Error(`${bench.name} is not an HTTP function`);
      const variables = () => ({
        ...localEndpoints(endpoints),
        ...environmentFor(bench.spec, deployment),
        ...bench.variables?.(),
      });
      benchLoaded.push(activity.track(await loadFunction(bench.name, bench.spec, 0, variables)));
    }
    routes = routesOf([...functions, ...benchLoaded]);
    schedules = schedulesOf(functions);

    for (const consumer of functions) {
      const trigger = consumer.spec.trigger;
      if (trigger.kind !== 'queue') continue;
      const queueUrl = queueUrls[trigger.queue];
      const arn = await sqsClient.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
      );
      const instances = [consumer];
      for (let instance = 1; instance < trigger.maxConcurrency; instance++) {
        instances.push(
          activity.track(
            await loadFunction(consumer.name, consumer.spec, instance, variablesOf(consumer.name)),
          ),
        );
      }
      loaded.push(...instances.slice(1));
      pollers.push(
        startPoller({
          sqs: sqsClient,
          queue: trigger.queue,
          queueUrl,
          queueArn: arn.Attributes?.QueueArn ?? '',
          region: localRegion,
          instances,
          batchSize: () => batchSizeFor(consumer.spec, variablesOf(consumer.name)()),
          onError: report,
        }),
      );
    }
    if (options.clock ?? true) stopClock = startClock(schedules, report);
    await recordLocalTarget(dataDir, {
      tableName: localTableName,
      endpoints,
      queueUrls,
      url,
      staffIdentity,
      attachmentsBucket: localAttachmentsBucket,
      mailEventTopicArn,
    });
    whenDrained = (timeoutMs) => drained(sqsClient, queueUrls, activity, timeoutMs);
    ready = true;

    return {
      url,
      mailboxUrl: `http://localhost:${sesPort}`,
      endpoints,
      queueUrls,
      mailEventTopicArn,
      staffIdentity,
      dataDir,
      drained: (timeoutMs) => whenDrained(timeoutMs),
      fire: fireSchedule,
      async stopSes() {
        await ses.stop();
      },
      async startSes() {
        ses = await startSes(sesPort, sesOptions);
      },
      reconfigure: (variables, only) => reconfigureFunctions(variables, only),
      variablesOf: (name) => variablesOf(name)(),
      async stop() {
        ready = false;
        stopClock();
        await closeServer(server);
        await Promise.all(pollers.map((poller) => poller.stop()));
        await Promise.all([...loaded, ...benchLoaded].map((fn) => fn.stop()));
        await ses.stop().catch(() => undefined);
        for (const standIn of standIns.reverse()) await standIn.stop();
      },
    };
  } catch (error) {
    stopClock();
    await Promise.all(pollers.map((poller) => poller.stop()));
    await Promise.all([...loaded, ...benchLoaded].map((fn) => fn.stop()));
    for (const standIn of standIns.reverse()) await standIn.stop().catch(() => undefined);
    await closeServer(server);
    throw error;
  }
}

function startedOrThrow<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

/** Where a function's AWS clients find the stand-ins (none of these is set on AWS). */
function localEndpoints(endpoints: LocalHost['endpoints']): Record<string, string> {
  return {
    [localEndpointVariables.dynamodb]: endpoints.dynamodb,
    [localEndpointVariables.sqs]: endpoints.sqs,
    [localEndpointVariables.ses]: endpoints.ses,
    [localEndpointVariables.cognito]: endpoints.cognito,
    [localEndpointVariables.s3]: endpoints.s3,
  };
}

/** Settings some function declares; a misspelt one would otherwise change nothing, silently. */
const declaredSettings = new Set(
  functionSpecs().flatMap(([, spec]) => Object.keys(settingsOf(spec))),
);

/**
 * Every function's variables together, for the host process itself (it seeds the table, and
 * tests call data access and services directly); they must agree.
 */
function operatorEnvironment(deployment: Deployment): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [name, spec] of functionSpecs()) {
    for (const [variable, value] of Object.entries(environmentFor(spec, deployment))) {
      if (variable in merged && merged[variable] !== value) {
        throw new Error(`${name} sets ${variable} differently from another function`);
      }
      merged[variable] = value;
    }
  }
  return merged;
}

class UnknownSchedule extends Error {
  constructor(name: string) {
    super(`No schedule named ${name}`);
  }
}

function respondJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
