/**
 * Bundles every function of the wiring description with the stack's own esbuild settings,
 * plus the two yardsticks: an empty handler, and per function an "SDK-only floor" that
 * imports just the AWS clients its bundle contains. A function with no AWS client has a
 * library floor instead: the libraries it is built on (`libraryFloors`), nothing of ours.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { functionSpecs } from '#functions/wiring.ts';
import { esbuildSettings, plainEsbuildSettings, repositoryRoot } from '#infra/aws/bundling.ts';
import { buildLazyChunks } from '#infra/aws/lazy-chunks.ts';

export const benchDir = resolve(repositoryRoot, '.bench');

export interface Bundle {
  name: string;
  /** The built ESM file. */
  file: string;
  bytes: number;
  gzipBytes: number;
  /** AWS SDK packages bundled in, e.g. `@aws-sdk/client-sqs`. */
  awsPackages: string[];
  /** The commands of those packages bundled in, e.g. `@aws-sdk/client-sqs#SendMessageCommand`. */
  awsCommands: string[];
  /** Without an AWS client: the `libraryFloors` whose package the bundle holds. */
  libraries: string[];
}

export interface BenchBundles {
  functions: Bundle[];
  empty: Bundle;
  /** One floor per distinct set of AWS clients and commands, keyed by `floorKey`. */
  floors: Map<string, Bundle>;
}

export const floorKey = (bundle: Bundle) =>
  [...bundle.awsPackages, ...bundle.awsCommands, ...bundle.libraries].join('+') || '(none)';

/**
 * The libraries a function with no AWS client is built on, each loaded and set up as our
 * code sets it up, keyed by the package that shows it in a bundle: an HTTP function's middy
 * with the handler factory's middlewares (functions/shared/http-handler.ts) and Powertools'
 * Logger around an empty handler; the gateway authorizer's aws-jwt-verify.
 */
const libraryFloors: Record<string, { code: string; uses: string[] }> = {
  '@middy/core': {
    code: `import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpContentNegotiation from '@middy/http-content-negotiation';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import httpUrlencodeBodyParser from '@middy/http-urlencode-body-parser';
const parsers = [httpJsonBodyParser(), httpUrlencodeBodyParser()];
const httpFunction = middy()
  .use([
    injectLambdaContext(new Logger({ serviceName: 'floor' })),
    httpHeaderNormalizer(),
    httpContentNegotiation({ availableMediaTypes: ['application/json', 'text/html'], failOnMismatch: false }),
    httpSecurityHeaders(),
    httpErrorHandler(),
  ])
  .handler(async () => ({ statusCode: 200, body: '' }));`,
    uses: ['parsers', 'httpFunction'],
  },
  'aws-jwt-verify': {
    code: `import { JwtVerifier } from 'aws-jwt-verify';`,
    uses: ['JwtVerifier'],
  },
};

const awsPackagePattern = /node_modules\/(@aws-sdk\/(?:client-[\w-]+|lib-[\w-]+))\//;
const packagePattern = /node_modules\/((?:@[^/]+\/)?[^/]+)\//;
const awsCommandPattern =
  /node_modules\/(@aws-sdk\/(?:client-[\w-]+|lib-[\w-]+))\/dist-[a-z]+\/commands\/(\w+Command)\.js$/;

async function bundle(
  name: string,
  entry: string,
  settings: typeof plainEsbuildSettings = esbuildSettings,
): Promise<Bundle> {
  const file = join(benchDir, name.replace(/[^\w-]/g, '-'), 'index.mjs');
  const result = await build({
    ...settings,
    entryPoints: [entry],
    outfile: file,
    metafile: true,
    logLevel: 'silent',
  });
  // As deployed: what the function loads on first use in files of their own beside it.
  if (settings === esbuildSettings) await buildLazyChunks(dirname(file));
  const awsPackages = new Set<string>();
  const awsCommands = new Set<string>();
  const packages = new Set<string>();
  // What esbuild kept: a file it shook out entirely still appears among the inputs.
  const output = Object.values(result.metafile?.outputs ?? {}).find((entry) => entry.entryPoint);
  const kept = Object.entries(output?.inputs ?? {})
    .filter(([, info]) => info.bytesInOutput > 0)
    .map(([input]) => input);
  for (const input of kept) {
    const pkg = packagePattern.exec(input)?.[1];
    if (pkg) packages.add(pkg);
    const match = awsPackagePattern.exec(input);
    if (match?.[1]) awsPackages.add(match[1]);
    const command = awsCommandPattern.exec(input);
    if (command?.[1] && command[2]) awsCommands.add(`${command[1]}#${command[2]}`);
  }
  const { size } = await stat(file);
  return {
    name,
    file,
    bytes: size,
    gzipBytes: gzipSync(readFileSync(file)).length,
    awsPackages: [...awsPackages].sort(),
    awsCommands: [...awsCommands].sort(),
    libraries:
      awsPackages.size === 0 ? Object.keys(libraryFloors).filter((pkg) => packages.has(pkg)) : [],
  };
}

/** The client class each package is used through, e.g. `SQSClient`. */
async function clientExport(pkg: string): Promise<string> {
  const module = (await import(pkg)) as Record<string, unknown>;
  const names = Object.keys(module)
    .filter((key) => /^[A-Z]\w*Client$/.test(key) && typeof module[key] === 'function')
    .sort((a, b) => a.length - b.length);
  if (!names[0]) throw new Error(`${pkg} exports no client class`);
  return names[0];
}

export async function buildBenchBundles(): Promise<BenchBundles> {
  await rm(benchDir, { recursive: true, force: true });
  const sources = join(benchDir, 'sources');
  await mkdir(sources, { recursive: true });

  const functions = await Promise.all(
    functionSpecs().map(([name, spec]) => bundle(name, resolve(repositoryRoot, spec.entry))),
  );

  const emptyEntry = join(sources, 'empty.mjs');
  await writeFile(emptyEntry, 'export const handler = async () => ({});\n');
  const empty = await bundle('empty-handler', emptyEntry);

  // The floor: the same clients and the same commands (or, without any, the same libraries),
  // and nothing of ours.
  const floors = new Map<string, Bundle>();
  for (const fn of functions) {
    const key = floorKey(fn);
    if (floors.has(key)) continue;
    const imports: string[] = [];
    const references: string[] = [];
    const symbols = [
      ...(await Promise.all(
        fn.awsPackages.map(async (pkg) => [pkg, await clientExport(pkg)] as const),
      )),
      ...fn.awsCommands.map((command) => command.split('#') as [string, string]),
    ];
    for (const [index, [pkg, exported]] of symbols.entries()) {
      imports.push(`import { ${exported} as S${index} } from '${pkg}';`);
      references.push(`S${index}`);
    }
    for (const pkg of fn.libraries) {
      imports.push(libraryFloors[pkg]?.code ?? '');
      references.push(...(libraryFloors[pkg]?.uses ?? []));
    }
    const entry = join(sources, `floor-${fn.name}.mjs`);
    await writeFile(
      entry,
      `${imports.join('\n')}\nconst used = [${references.join(', ')}];\n` +
        'export const handler = async () => ({ used: used.length });\n',
    );
    // The SDK as it ships, default credential chain included: what a function that only
    // makes these calls would bundle. Libraries are bundled as ours are (`node:http` by
    // `require`), or the floor would carry a cost our bundles do not.
    const settings = fn.libraries.length > 0 ? esbuildSettings : plainEsbuildSettings;
    floors.set(key, await bundle(`floor:${fn.name}`, entry, settings));
  }
  return { functions, empty, floors };
}
