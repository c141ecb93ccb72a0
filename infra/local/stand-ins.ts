/**
 * The embedded AWS stand-ins: dynalite (DynamoDB), fauxqs (SQS) and aws-ses-v2-local (SES).
 * Each speaks the real wire protocol on a local port, so the handlers' SDK calls are real.
 */
import type { Server } from 'node:http';
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

export async function startSes(port: number): Promise<StandIn> {
  const server = await sesLocal.default({ host: '127.0.0.1', port });
  const actual = (server.address() as AddressInfo).port;
  return { endpoint: `http://127.0.0.1:${actual}`, port: actual, stop: () => closeServer(server) };
}
