/**
 * The `openApi` bundle carries the document as built when it was bundled (`bundleDefines`,
 * infra/aws/bundling.ts): it must answer exactly what the sources build, without zod or the
 * document's builder in the bundle.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openApiDocument } from '#functions/contract/openapi.ts';
import { functions } from '#functions/wiring.ts';
import { esbuildSettings, repositoryRoot } from '#infra/aws/bundling.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-openapi-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('answers the document the sources build, with neither zod nor the builder of the document bundled', async () => {
  const outfile = join(dir, 'index.mjs');
  const result = await build({
    ...esbuildSettings,
    entryPoints: [join(repositoryRoot, functions.openApi.entry)],
    outfile,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs).find((entry) => entry.entryPoint);
  const bundled = Object.entries(output?.inputs ?? {})
    .filter(([, info]) => info.bytesInOutput > 0)
    .map(([input]) => input);
  expect(
    bundled.filter(
      (input) => input.includes('/zod/') || input.includes('functions/contract/openapi.ts'),
    ),
  ).toEqual([]);

  const bundle: { handler: () => Promise<{ statusCode: number; body: string }> } = await import(
    pathToFileURL(outfile).href
  );
  const answer = await bundle.handler();
  expect(answer.statusCode).toBe(200);
  expect(answer.body).toBe(JSON.stringify(openApiDocument()));
});
