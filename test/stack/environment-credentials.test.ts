/**
 * The Lambda bundles swap the SDK's default credential chain for the environment's
 * credentials (infra/aws/bundling.ts): a bundled client must still sign with them, and the
 * chain's other sources must be gone from the bundle.
 */
import { execFileSync } from 'node:child_process';
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
  expect(
    inputs.some((input) => input.includes('functions/shared/aws/environment-credentials')),
  ).toBe(true);
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
