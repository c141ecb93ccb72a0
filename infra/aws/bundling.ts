/**
 * How every function is bundled: one set of esbuild settings for the stack (NodejsFunction,
 * esbuild run locally, no Docker) and for the bench, which measures exactly what deploys.
 */
import { resolve } from 'node:path';
import type { BundlingOptions, ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogLevel, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { openApiDocument } from '#functions/contract/openapi.ts';
import { defaultSite, type Site } from '#functions/shared/site.ts';

export const repositoryRoot = resolve(import.meta.dirname, '../..');
export const lockFile = resolve(repositoryRoot, 'package-lock.json');

/** Lambda's Node.js major: the esbuild target, the runtime name and the bench's Node. */
export const nodeMajor = 24;

/** CommonJS code inside an ESM bundle may still call `require` for Node built-ins. */
export const esmRequireBanner =
  "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

/** Source maps make stack traces readable; Node reads them only with this flag. */
export const nodeOptions = '--enable-source-maps';

/**
 * Modules swapped in every bundle (each file in functions/shared/bundle-shims says why): the
 * environment's credentials for the SDK's default chain, and `node:http` read with `require`.
 */
const bundleShims: Record<string, string> = {
  '@aws-sdk/credential-provider-node': 'environment-credentials.ts',
  'node:http': 'node-http.ts',
  http: 'node-http.ts',
};
const shimAliases = Object.fromEntries(
  Object.entries(bundleShims).map(([from, file]) => [
    from,
    resolve(repositoryRoot, 'functions/shared/bundle-shims', file),
  ]),
);

/**
 * Packages loaded with `await import()` on first use, each bundled into a file of its own
 * beside index.mjs (infra/aws/lazy-chunks.ts builds it), so a cold start does not parse them.
 */
export const lazyChunks: Record<string, string> = { exceljs: 'exceljs.mjs' };
const chunkAliases = Object.fromEntries(
  Object.entries(lazyChunks).map(([pkg, file]) => [pkg, `./${file}`]),
);
const chunkFiles = Object.values(chunkAliases);

const openApiJson = JSON.stringify(openApiDocument());

/**
 * Values fixed when bundling, so no cold start loads zod or builds them: the OpenAPI
 * document's JSON text (functions/handlers/openapi.ts) and the stage's company name and
 * privacy notice, validated with the configuration at synth (functions/shared/site.ts). Every
 * bundle gets the definitions; only the code that names them carries them.
 */
export function bundleDefines(site: Site): Record<string, string> {
  return {
    AFTERCARE_OPENAPI_JSON: JSON.stringify(openApiJson),
    AFTERCARE_SITE_JSON: JSON.stringify(JSON.stringify(site)),
  };
}

/** After esbuild: the lazy chunks the bundle imports, built beside it. */
const commandHooks: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (_inputDir, outputDir) => [
    `"${process.execPath}" "${resolve(repositoryRoot, 'infra/aws/lazy-chunks.ts')}" "${outputDir}"`,
  ],
};

/** The stack's bundling of a stage's functions. */
export const lambdaBundling = (site: Site): BundlingOptions => ({
  format: OutputFormat.ESM,
  target: `node${nodeMajor}`,
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.EXTERNAL,
  // Stack traces need positions, not the sources: keeps the map small.
  sourcesContent: false,
  banner: esmRequireBanner,
  define: bundleDefines(site),
  esbuildArgs: {
    // Templates hold Chinese text: UTF-8 instead of \u escapes keeps bundles smaller. Passed
    // here because the CDK drops its own `charset` option (aws/aws-cdk#32649).
    '--charset': 'utf8',
    '--alias': Object.entries({ ...shimAliases, ...chunkAliases }).map(
      ([from, to]) => `${from}=${to}`,
    ),
    '--external': chunkFiles,
  },
  commandHooks,
  // Bundle the AWS SDK too: a pinned version, tree-shaken and minified, loads faster than
  // the runtime's copy and behaves the same as on the local host.
  externalModules: [],
  bundleAwsSDK: true,
  forceDockerBundling: false,
  logLevel: LogLevel.WARNING,
});

/**
 * The same settings for esbuild's JS API, without the shims: the bench's SDK-only floors are
 * built with these, the AWS SDK as it ships.
 */
export const plainEsbuildSettings = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: `node${nodeMajor}`,
  mainFields: ['module', 'main'] as string[],
  minify: true,
  sourcemap: 'external',
  sourcesContent: false,
  charset: 'utf8',
  banner: { js: esmRequireBanner },
} as const;

/**
 * The functions' settings for esbuild's JS API, for a stage on the default site setting (the
 * bench bundles with it directly, then builds the lazy chunks with infra/aws/lazy-chunks.ts).
 */
export const esbuildSettings = {
  ...plainEsbuildSettings,
  alias: { ...shimAliases, ...chunkAliases },
  external: chunkFiles,
  define: bundleDefines(defaultSite),
} as const;
