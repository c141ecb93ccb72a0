/**
 * Time from `import()` of a bundle to a ready handler, each run in a fresh Node process
 * started the way Lambda starts it (source maps on), so nothing is cached between runs.
 */
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { nodeOptions } from '#infra/aws/bundling.ts';

const probe = `
const started = performance.now();
const module = await import(process.env.BENCH_BUNDLE_URL);
if (typeof module.handler !== 'function') throw new Error('the bundle exports no handler');
process.stdout.write(String(performance.now() - started));
`;

function importOnce(file: string, environment: Record<string, string>): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [...nodeOptions.split(' '), '--input-type=module', '--eval', probe],
      {
        env: { ...process.env, ...environment, BENCH_BUNDLE_URL: pathToFileURL(file).href },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const value = Number(out);
      if (code === 0 && Number.isFinite(value)) resolvePromise(value);
      else reject(new Error(`importing ${file} failed (exit ${code}): ${err.trim()}`));
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The value below which `fraction` of the values lie (nearest rank). */
export function quantile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] as number;
}

/**
 * Every round's import time per file over `runs` rounds; in each round the files take
 * turns, so a function and its floor are timed next to each other (paired) and drift hits
 * both alike.
 */
export async function importTimeRounds(
  files: { file: string; environment: Record<string, string> }[],
  runs: number,
): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>(files.map(({ file }) => [file, []]));
  for (let run = 0; run < runs; run++) {
    for (const { file, environment } of files) {
      samples.get(file)?.push(await importOnce(file, environment));
    }
  }
  return samples;
}
