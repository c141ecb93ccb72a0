/**
 * The Lambda bundles swap some modules (infra/aws/bundling.ts, functions/shared/bundle-shims):
 * a bundled client must still sign with the environment's credentials, with the default
 * chain's other sources gone, and `node:http` must still answer while no ESM import of it
 * is left in the bundle. exceljs goes to a file of its own beside the bundle (lazy-chunks.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { esbuildSettings, repositoryRoot } from '#infra/aws/bundling.ts';
import { buildLazyChunks } from '#infra/aws/lazy-chunks.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-credentials-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('resolves credentials from the environment in a bundled client, without the default chain', async () => {
  const outfile = join(dir, 'index.mjs');
  const result = await build({
    ...esbuildSettings,
    stdin: {
      contents: `import { SQSClient } from '@aws-sdk/client-sqs';
const credentials = await new SQSClient({ region: 'eu-west-1' }).config.credentials();
console.log(JSON.stringify(credentials));`,
      resolveDir: repositoryRoot,
      sourcefile: 'entry.mjs',
    },
    outfile,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.some((input) => input.includes('bundle-shims/environment-credentials'))).toBe(true);
  for (const gone of ['credential-provider-ini', 'credential-provider-sso', 'nested-clients']) {
    expect(inputs.filter((input) => input.includes(gone))).toEqual([]);
  }

  const printed = execFileSync(process.execPath, [outfile], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      AWS_ACCESS_KEY_ID: 'AKIDFROMENVIRONMENT',
      AWS_SECRET_ACCESS_KEY: 'secret-from-environment',
      AWS_SESSION_TOKEN: 'session-from-environment',
    },
  });
  expect(JSON.parse(printed)).toMatchObject({
    accessKeyId: 'AKIDFROMENVIRONMENT',
    secretAccessKey: 'secret-from-environment',
    sessionToken: 'session-from-environment',
  });
});

it('reads node:http with require, so that Node does not load undici for its lazy exports', async () => {
  const outfile = join(dir, 'http', 'index.mjs');
  await build({
    ...esbuildSettings,
    stdin: {
      // What @middy/util and the SDK's handler import.
      contents: `import { STATUS_CODES } from 'node:http';
import { Agent, request } from 'http';
console.log(JSON.stringify([STATUS_CODES[404], typeof Agent, typeof request]));`,
      resolveDir: repositoryRoot,
      sourcefile: 'entry.mjs',
    },
    outfile,
    logLevel: 'silent',
  });
  const bundled = readFileSync(outfile, 'utf8');
  expect(bundled).not.toMatch(/from\s*["'](node:)?http["']/);
  expect(JSON.parse(execFileSync(process.execPath, [outfile], { encoding: 'utf8' }))).toEqual([
    'Not Found',
    'function',
    'function',
  ]);
});

it('loads exceljs from a file of its own beside the bundle, on the first workbook', async () => {
  const outfile = join(dir, 'workbook', 'index.mjs');
  await build({
    ...esbuildSettings,
    stdin: {
      contents: `import { PassThrough } from 'node:stream';
import { writeRegisterXlsx } from '#functions/reports/register-export.ts';
const out = new PassThrough();
const chunks = [];
out.on('data', (chunk) => chunks.push(chunk));
await writeRegisterXlsx((async function* () {})(), out);
console.log(JSON.stringify({ zip: Buffer.concat(chunks).subarray(0, 2).toString('latin1') }));`,
      resolveDir: repositoryRoot,
      sourcefile: 'entry.mjs',
    },
    outfile,
    logLevel: 'silent',
  });
  const bundled = readFileSync(outfile, 'utf8');
  expect(bundled).toContain('"./exceljs.mjs"');
  // exceljs's own code is not in the bundle: the zip part every workbook has is named only there.
  expect(bundled).not.toContain('[Content_Types].xml');
  expect(existsSync(join(dir, 'workbook', 'exceljs.mjs'))).toBe(false);

  expect(await buildLazyChunks(join(dir, 'workbook'))).toEqual(['exceljs.mjs']);
  const printed = execFileSync(process.execPath, [outfile], { encoding: 'utf8' });
  expect(JSON.parse(printed)).toEqual({ zip: 'PK' });
});

it('builds no chunk for a bundle that does not import one', async () => {
  const outfile = join(dir, 'plain', 'index.mjs');
  await build({
    ...esbuildSettings,
    stdin: { contents: 'export const handler = async () => ({});', sourcefile: 'entry.mjs' },
    outfile,
    logLevel: 'silent',
  });
  expect(await buildLazyChunks(join(dir, 'plain'))).toEqual([]);
});
