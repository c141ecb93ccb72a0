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
