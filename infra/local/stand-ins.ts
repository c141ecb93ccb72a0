/**
 * The embedded AWS stand-ins: dynalite (DynamoDB), fauxqs (SQS and SNS) and aws-ses-v2-local (SES).
 * Each speaks the real wire protocol on a local port, so the handlers' SDK calls are real.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import { localRegion } from '#functions/shared/aws/local-endpoints.ts';
import { cachedWorker } from './cached-worker.ts';
import type { Activity } from './drain.ts';
import { closeServer, listen } from './servers.ts';

// A CommonJS module with an `exports.default`: required, so Node and Vite see the same thing.
const sesLocal = createRequire(import.meta.url)(
  'aws-ses-v2-local',
) as typeof import('aws-ses-v2-local');

export interface StandIn {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** dynalite on a thread of its own (`stand-in-thread.ts`), its data under `dataDir`. */
export function startDynamoDb(dataDir: string, port: number): Promise<StandIn> {
  return startOnThread('dynamodb', dataDir, port);
}

/** fauxqs (SQS, SNS, S3) on a thread of its own (`stand-in-thread.ts`), its data under `dataDir`. */
export function startSqs(dataDir: string, port: number): Promise<StandIn> {
  return startOnThread('sqs', dataDir, port);
}

const threadAnswer = z.union([
  z.object({ endpoint: z.string(), port: z.number() }),
  z.object({ stopped: z.literal(true) }),
]);

function startOnThread(kind: 'dynamodb' | 'sqs', dataDir: string, port: number) {
  const worker = cachedWorker(new URL('./stand-in-thread.ts', import.meta.url), {
    name: `stand-in ${kind}`,
    workerData: { kind, dataDir, port },
  });
  return new Promise<StandIn>((resolveStarted, rejectStarted) => {
    const failed = (error: unknown) => rejectStarted(error);
    worker.once('error', failed);
    worker.once('exit', () => failed(new Error(`The ${kind} stand-in ended while starting`)));
    worker.once('message', (raw: unknown) => {
      const started = threadAnswer.parse(raw);
      if (!('endpoint' in started)) return failed(new Error(`The ${kind} stand-in did not start`));
      worker.removeAllListeners('error');
      worker.removeAllListeners('exit');
      resolveStarted({
        endpoint: started.endpoint,
        port: started.port,
        stop: async () => {
          // Closed by its own thread first (connections and files), then the thread ends.
          const stopped = new Promise<void>((resolveStopped) => {
            worker.once('message', () => resolveStopped());
            worker.once('exit', () => resolveStopped());
          });
          worker.postMessage('stop');
          await stopped;
          await worker.terminate();
        },
      });
    });
  });
}

/**
 * A way SES refuses some mail, for trying out the consumer's error handling locally: mail
 * to a matching recipient is answered with the error SES would give (e.g. `MessageRejected`
 * with 400 for an address it will not send to, `TooManyRequestsException` with 429).
 */
export interface SesFault {
  recipients: RegExp;
  errorType: string;
  status: number;
}

/**
 * Where the SES stand-in publishes SES's events, as a configuration set's SNS event
 * destination does on AWS, and where it keeps its record of accepted mail.
 */
export interface SesEventDestination {
  snsEndpoint: string;
  topicArn: string;
  /** The host's data folder: accepted mail is journaled under `ses/`. */
  dataDir: string;
  /** Counts each event's publishing as work in progress, so the host is not drained before it. */
  activity?: Activity;
}

export interface SesOptions {
  faults?: readonly SesFault[];
  events?: SesEventDestination;
}

/**
 * aws-ses-v2-local behind a front. The front answers configured faults, forwards the rest,
 * and for each mail SES accepts: appends it to a journal in the data folder (aws-ses-v2-local
 * keeps mail in memory only), answers, then publishes SES's `Send` event, with the mail's
 * tags, to the mail-event topic: as on SES, the event follows the answer, so a sender
 * usually records its mail before the event arrives. Like SES, it publishes the event of every accepted
 * mail even across a crash: on start it publishes whatever the journal holds unpublished.
 */
export async function startSes(port: number, options: SesOptions = {}): Promise<StandIn> {
  const server = await sesLocal.default({ host: '127.0.0.1', port: 0 });
  const inner: StandIn = {
    endpoint: '',
    port: (server.address() as AddressInfo).port,
    stop: () => closeServer(server),
  };
  // aws-ses-v2-local keeps one mailbox per process: a host on a fresh data folder starts with
  // an empty one, as a new account would, even after an earlier host in the same process (a
  // test file before it) filled it. A restart on the same folder keeps the mail.
  if (options.events && !existsSync(sesJournalPath(options.events.dataDir))) {
    await fetch(`http://127.0.0.1:${inner.port}/clear-store`, { method: 'POST' });
  }
  const faults = options.faults ?? [];
  const events = options.events ? new SesEvents(options.events) : undefined;
  await events?.publishPending();
  const front = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const isSend = request.method === 'POST' && request.url?.split('?')[0] === sendEmailPath;
      // Each send's body is parsed only when some fault is configured (profiled: per mail).
      const fault = isSend && faults.length > 0 ? faultFor(body, faults) : undefined;
      if (fault) {
        response.writeHead(fault.status, {
          'content-type': 'application/json',
          'x-amzn-errortype': fault.errorType,
        });
        response.end(JSON.stringify({ message: `Local SES fault: ${fault.errorType}` }));
        return;
      }
      const forward = httpRequest(
        {
          host: '127.0.0.1',
          port: inner.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
        },
        (answer) => {
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', () => {
            const answerBody = Buffer.concat(answerChunks);
            const accepted = isSend && answer.statusCode === 200 ? events : undefined;
            const reply = () => {
              response.writeHead(answer.statusCode ?? 502, answer.headers);
              response.end(answerBody);
            };
            if (!accepted) return reply();
            let mail: AcceptedMail;
            try {
              mail = accepted.journal(body, answerBody);
            } catch {
              response.writeHead(500, { 'x-amzn-errortype': 'InternalFailure' });
              response.end();
              return;
            }
            reply();
            accepted.publishSoon(mail);
          });
        },
      );
      forward.on('error', () => {
        if (!response.headersSent) response.writeHead(502);
        response.end();
      });
      forward.end(body);
    });
  });
  const actual = await listen(front, port, '127.0.0.1');
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    port: actual,
    async stop() {
      await closeServer(front);
      await inner.stop();
    },
  };
}

const sendEmailPath = '/v2/email/outbound-emails';

/** How long after its answer the stand-in publishes a mail's `Send` event. */
const sesEventDelayMs = 200;

/** The journal of accepted mail: one JSON line per mail, then one per published event. */
export function sesJournalPath(dataDir: string): string {
  return join(dataDir, 'ses', 'accepted.jsonl');
}

/** One mail SES accepted, as the journal keeps it (the crash test reads it back). */
export interface AcceptedMail {
  messageId: string;
  timestamp: string;
  source: string;
  destination: string[];
  subject: string;
  tags: Record<string, string>;
  configurationSet?: string;
}

const sendRequest = z.object({
  FromEmailAddress: z.optional(z.string()),
  Destination: z.optional(
    z.object({
      ToAddresses: z.optional(z.array(z.string())),
      CcAddresses: z.optional(z.array(z.string())),
      BccAddresses: z.optional(z.array(z.string())),
    }),
  ),
  Content: z.optional(
    z.object({
      Simple: z.optional(z.object({ Subject: z.optional(z.object({ Data: z.string() })) })),
    }),
  ),
  EmailTags: z.optional(z.array(z.object({ Name: z.string(), Value: z.string() }))),
  ConfigurationSetName: z.optional(z.string()),
});
const sendAnswer = z.object({ MessageId: z.string() });
const journalLine = z.union([
  z.object({ accepted: z.custom<AcceptedMail>((value) => typeof value === 'object') }),
  z.object({ published: z.string() }),
]);

/** Reads the journal: every mail accepted, in order, and which have had their event published. */
export function readSesJournal(dataDir: string): {
  accepted: AcceptedMail[];
  published: Set<string>;
} {
  const path = sesJournalPath(dataDir);
  const accepted: AcceptedMail[] = [];
  const published = new Set<string>();
  if (!existsSync(path)) return { accepted, published };
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      continue; // a line cut short by a crash: its event was never published, nor answered
    }
    const entry = journalLine.safeParse(data);
    if (!entry.success) continue;
    if ('accepted' in entry.data) accepted.push(entry.data.accepted);
    else published.add(entry.data.published);
  }
  return { accepted, published };
}

class SesEvents {
  private readonly sns: SNSClient;
  private readonly destination: SesEventDestination;
  private readonly path: string;

  constructor(destination: SesEventDestination) {
    this.destination = destination;
    this.path = sesJournalPath(destination.dataDir);
    mkdirSync(dirname(this.path), { recursive: true });
    this.sns = new SNSClient({
      endpoint: destination.snsEndpoint,
      region: localRegion,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }

  /** Journals an accepted mail: once the sender hears "accepted", the journal has it. */
  journal(requestBody: Buffer, answerBody: Buffer): AcceptedMail {
    const request = sendRequest.parse(JSON.parse(requestBody.toString('utf8')));
    const { MessageId } = sendAnswer.parse(JSON.parse(answerBody.toString('utf8')));
    const destination = request.Destination ?? {};
    const mail: AcceptedMail = {
      messageId: MessageId,
      timestamp: new Date().toISOString(),
      source: request.FromEmailAddress ?? '',
      destination: [
        ...(destination.ToAddresses ?? []),
        ...(destination.CcAddresses ?? []),
        ...(destination.BccAddresses ?? []),
      ],
      subject: request.Content?.Simple?.Subject?.Data ?? '',
      tags: Object.fromEntries((request.EmailTags ?? []).map((tag) => [tag.Name, tag.Value])),
      ...(request.ConfigurationSetName ? { configurationSet: request.ConfigurationSetName } : {}),
    };
    // Synchronous: once the sender hears "accepted", the journal has it, crash or not.
    appendFileSync(this.path, `${JSON.stringify({ accepted: mail })}\n`);
    return mail;
  }

  /**
   * SES has the mail: its event follows, a moment after the answer as SES's asynchronous
   * events do (so the sender's own mark usually comes first, as on AWS), and even if the
   * topic is away for a while.
   */
  publishSoon(mail: AcceptedMail): void {
    const publishing = async () => {
      await new Promise((resolve) => setTimeout(resolve, sesEventDelayMs));
      await this.publish(mail).catch(() => this.retryLater(mail, 1));
    };
    void (this.destination.activity ? this.destination.activity.during(publishing) : publishing());
  }

  private retryLater(mail: AcceptedMail, attempt: number): void {
    if (attempt > 30) return; // left in the journal; the next start publishes it
    setTimeout(() => {
      this.publish(mail).catch(() => this.retryLater(mail, attempt + 1));
    }, 1000).unref();
  }

  /** What a crash left between journaling a mail and publishing its event. */
  async publishPending(): Promise<void> {
    const { accepted, published } = readSesJournal(this.destination.dataDir);
    for (const mail of accepted) if (!published.has(mail.messageId)) await this.publish(mail);
  }

  private async publish(mail: AcceptedMail): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.destination.topicArn,
        Message: JSON.stringify(sendEvent(mail)),
      }),
    );
    appendFileSync(this.path, `${JSON.stringify({ published: mail.messageId })}\n`);
  }
}

/** SES's `Send` event record, as its event publishing sends it to SNS. */
export function sendEvent(mail: AcceptedMail) {
  const address = /<([^<>]+)>\s*$/.exec(mail.source)?.[1] ?? mail.source;
  const domain = address.split('@')[1] ?? 'example.com';
  return {
    eventType: 'Send',
    mail: {
      timestamp: mail.timestamp,
      source: mail.source,
      sourceArn: `arn:aws:ses:${localRegion}:000000000000:identity/${domain}`,
      sendingAccountId: '000000000000',
      messageId: mail.messageId,
      destination: mail.destination,
      headersTruncated: false,
      headers: [
        { name: 'From', value: mail.source },
        { name: 'To', value: mail.destination.join(', ') },
        { name: 'Subject', value: mail.subject },
      ],
      commonHeaders: {
        from: [mail.source],
        to: mail.destination,
        messageId: mail.messageId,
        subject: mail.subject,
      },
      tags: {
        'ses:configuration-set': [mail.configurationSet ?? 'local'],
        'ses:source-ip': ['127.0.0.1'],
        'ses:from-domain': [domain],
        'ses:caller-identity': ['local'],
        ...Object.fromEntries(Object.entries(mail.tags).map(([name, value]) => [name, [value]])),
      },
    },
    send: {},
  };
}

function faultFor(body: Buffer, faults: readonly SesFault[]): SesFault | undefined {
  let recipients: string[] = [];
  try {
    const request = JSON.parse(body.toString('utf8')) as {
      Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
    };
    const destination = request.Destination ?? {};
    recipients = [
      ...(destination.ToAddresses ?? []),
      ...(destination.CcAddresses ?? []),
      ...(destination.BccAddresses ?? []),
    ];
  } catch {
    return undefined;
  }
  return faults.find((fault) => recipients.some((address) => fault.recipients.test(address)));
}

/**
 * cognito-local (the Cognito user pools API) with its users kept under `dataDir`. Built
 * from its parts rather than its `createDefaultServer`, which keeps data in `./.cognito`
 * and reads its port from the environment. Like Cognito, the ID tokens it issues carry
 * the user's standard `name` attribute (cognito-local by itself copies only custom ones).
 */
export async function startCognito(dataDir: string, port: number): Promise<StandIn> {
  // Its Lambda client is the end-of-support SDK v2, which otherwise prints a notice on load.
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
  // cognito-local's parts and its logger, resolved as cognito-local itself resolves them.
  const require = createRequire(
    createRequire(import.meta.url).resolve('cognito-local/package.json'),
  );
  const lib = <T>(path: string): T => require(`./lib/${path}`);
  const pino: (options: { level: string }) => CognitoLogger = require('pino');
  const logger = pino({ level: 'silent' });
  const ctx = { logger };
  const directory = join(dataDir, 'cognito');
  // The issuer names the port, so find a free one first when asked for any.
  const actualPort = port === 0 ? await freePort() : port;
  const { DateClock, TriggersService, MessagesService } =
    lib<typeof import('cognito-local/lib/services/index.js')>('services');
  const { CognitoServiceFactoryImpl } =
    lib<typeof import('cognito-local/lib/services/cognitoService.js')>('services/cognitoService');
  const { CryptoService } =
    lib<typeof import('cognito-local/lib/services/crypto.js')>('services/crypto');
  const { StormDBDataStoreFactory } = lib<
    typeof import('cognito-local/lib/services/dataStore/stormDb.js')
  >('services/dataStore/stormDb');
  const { ConsoleMessageSender } = lib<
    typeof import('cognito-local/lib/services/messageDelivery/consoleMessageSender.js')
  >('services/messageDelivery/consoleMessageSender');
  const { MessageDeliveryService } = lib<
    typeof import('cognito-local/lib/services/messageDelivery/messageDelivery.js')
  >('services/messageDelivery/messageDelivery');
  const { otp } = lib<typeof import('cognito-local/lib/services/otp.js')>('services/otp');
  const { JwtTokenGenerator } =
    lib<typeof import('cognito-local/lib/services/tokenGenerator.js')>('services/tokenGenerator');
  const { UserPoolServiceFactoryImpl } = lib<
    typeof import('cognito-local/lib/services/userPoolService.js')
  >('services/userPoolService');
  const { DefaultConfig } =
    lib<typeof import('cognito-local/lib/server/config.js')>('server/config');
  const { Router } = lib<typeof import('cognito-local/lib/server/Router.js')>('server/Router');
  const { createServer: createCognitoServer } =
    lib<typeof import('cognito-local/lib/server/server.js')>('server/server');

  const config = {
    ...DefaultConfig,
    TokenConfig: { IssuerDomain: `http://127.0.0.1:${actualPort}` },
    ServerConfig: { port: actualPort, hostname: '127.0.0.1', development: false, https: false },
  };
  const clock = new DateClock();
  const dataStoreFactory = new StormDBDataStoreFactory(join(directory, 'db'));
  const cognito = await new CognitoServiceFactoryImpl(
    join(directory, 'db'),
    dataStoreFactory,
    new UserPoolServiceFactoryImpl(clock, dataStoreFactory),
  ).create(ctx, config.UserPoolDefaults);
  // No Lambda triggers run locally but this one, which adds `name` as Cognito does.
  const noLambda = {
    enabled: () => false,
    invoke: (): Promise<never> => Promise.reject(new Error('No Lambda triggers run locally')),
  };
  class StandardClaims extends TriggersService {
    override enabled(trigger: Parameters<Triggers['enabled']>[0]): boolean {
      return trigger === 'PreTokenGeneration';
    }
    override preTokenGeneration: Triggers['preTokenGeneration'] = async (_ctx, request) => {
      const claims: Record<string, string> = {};
      for (const { Name, Value } of request.userAttributes) {
        if (Name === 'name' && Value) claims.name = Value;
      }
      return { claimsOverrideDetails: { claimsToAddOrOverride: claims } };
    };
  }
  const triggers = new StandardClaims(clock, cognito, noLambda, new CryptoService(undefined));
  const services = {
    clock,
    cognito,
    config,
    messages: new MessagesService(triggers, new MessageDeliveryService(new ConsoleMessageSender())),
    otp,
    tokenGenerator: new JwtTokenGenerator(clock, triggers, config.TokenConfig),
    triggers,
  };
  const server: Server = await createCognitoServer(
    Router(services),
    logger,
    config.ServerConfig,
    services,
  ).start();
  return {
    endpoint: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    stop: () => closeServer(server),
  };
}

type Triggers = import('cognito-local/lib/services/triggers/triggers.js').Triggers;
type CognitoLogger = Parameters<
  typeof import('cognito-local/lib/server/server.js')['createServer']
>[1];

async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe, 0, '127.0.0.1');
  await closeServer(probe);
  return port;
}
