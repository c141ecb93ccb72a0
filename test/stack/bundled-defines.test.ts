/**
 * Values a bundle carries as fixed when it was bundled (`bundleDefines`, infra/aws/bundling.ts):
 * the `openApi` function must answer exactly the document the sources build, and the page
 * functions the stage's company name and privacy notice, with zod in neither bundle.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openApiDocument } from '#functions/contract/openapi.ts';
import type { Site } from '#functions/shared/site.ts';
import { type FunctionName, functions } from '#functions/wiring.ts';
import { bundleDefines, esbuildSettings, repositoryRoot } from '#infra/aws/bundling.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-defines-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Bundles one function as the stack does; answers its handler and the sources it holds. */
async function bundled<Handler>(name: FunctionName, define = esbuildSettings.define) {
  const outfile = join(dir, name, 'index.mjs');
  const result = await build({
    ...esbuildSettings,
    define,
    entryPoints: [join(repositoryRoot, functions[name].entry)],
    outfile,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs).find((entry) => entry.entryPoint);
  const inputs = Object.entries(output?.inputs ?? {})
    .filter(([, info]) => info.bytesInOutput > 0)
    .map(([input]) => input);
  const bundle: { handler: Handler } = await import(pathToFileURL(outfile).href);
  return { handler: bundle.handler, inputs };
}

it('answers the document the sources build, with neither zod nor the builder of the document bundled', async () => {
  const { handler, inputs } = await bundled<() => Promise<APIGatewayProxyResult>>('openApi');
  expect(
    inputs.filter(
      (input) => input.includes('/zod/') || input.includes('functions/contract/openapi.ts'),
    ),
  ).toEqual([]);
  const answer = await handler();
  expect(answer.statusCode).toBe(200);
  expect(answer.body).toBe(JSON.stringify(openApiDocument()));
});

it("shows the stage's company name and privacy notice as bundled, without zod", async () => {
  const stageSite: Site = {
    company: { zh: '测试机械有限公司', en: 'Test Machinery Ltd.' },
    privacyNotice: {
      zh: '测试机械客户服务部处理您的个人信息。\n\n保存三年。',
      en: 'Test Machinery customer service processes your data.\n\nKept three years.',
    },
  };
  const { handler, inputs } = await bundled<
    (event: APIGatewayProxyEvent, context: object) => Promise<APIGatewayProxyResult>
  >('webPages', bundleDefines(stageSite));
  expect(inputs.filter((input) => input.includes('/zod/'))).toEqual([]);
  const event: APIGatewayProxyEvent = {
    resource: '/privacy',
    path: '/privacy',
    httpMethod: 'GET',
    headers: { accept: 'text/html' },
    multiValueHeaders: {},
    queryStringParameters: { lang: 'en' },
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { path: '/privacy' } as APIGatewayProxyEvent['requestContext'],
  };
  const answer = await handler(event, {});
  expect(answer.statusCode).toBe(200);
  expect(answer.body).toContain('Test Machinery Ltd.');
  expect(answer.body).toContain('Test Machinery customer service processes your data.');
  expect(answer.body).not.toContain('Our company');
});
