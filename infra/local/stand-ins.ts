/**
 * The embedded AWS stand-ins: dynalite (DynamoDB), fauxqs (SQS) and aws-ses-v2-local (SES).
 * Each speaks the real wire protocol on a local port, so the handlers' SDK calls are real.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { startFauxqs } from 'fauxqs';
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

export async function startDynamoDb(dataDir: string, port: number): Promise<StandIn> {
  const server = dynalite({
    path: join(dataDir, 'dynamodb'),
    createTableMs: 0,
    deleteTableMs: 0,
  }) as Server;
  const actual = await listen(server, port, '127.0.0.1');
  return { endpoint: `http://127.0.0.1:${actual}`, port: actual, stop: () => closeServer(server) };
}

export async function startSqs(dataDir: string, port: number): Promise<StandIn> {
  const server = await startFauxqs({
    port,
    logger: false,
    dataDir: join(dataDir, 'sqs'),
  });
  return { endpoint: server.address, port: server.port, stop: () => server.stop() };
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

export async function startSes(port: number, faults: readonly SesFault[] = []): Promise<StandIn> {
  if (faults.length > 0) return startFaultySes(port, faults);
  const server = await sesLocal.default({ host: '127.0.0.1', port });
  const actual = (server.address() as AddressInfo).port;
  return { endpoint: `http://127.0.0.1:${actual}`, port: actual, stop: () => closeServer(server) };
}

const sendEmailPath = '/v2/email/outbound-emails';

/** aws-ses-v2-local on a private port behind a front that answers faults and forwards the rest. */
async function startFaultySes(port: number, faults: readonly SesFault[]): Promise<StandIn> {
  const inner = await startSes(0);
  const front = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const fault =
        request.method === 'POST' && request.url?.split('?')[0] === sendEmailPath
          ? faultFor(body, faults)
          : undefined;
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
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
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
