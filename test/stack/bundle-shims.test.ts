/**
 * The Lambda bundles swap some modules (infra/aws/bundling.ts, functions/shared/bundle-shims):
 * a bundled client must still sign with the environment's credentials, with the default
 * chain's other sources gone, and `node:http` must still answer while no ESM import of it
 * is left in the bundle.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { esbuildSettings, repositoryRoot } from '#infra/aws/bundling.ts';

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
