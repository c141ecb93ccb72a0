/**
 * Packages a function loads with `await import()` on first use are bundled into a file of
 * their own beside its index.mjs (an esbuild alias and external in bundling.ts): left inside
 * index.mjs they are not run at start-up but still parsed, 1.1 MB of exceljs in each cold start
 * of the two workbook functions. Run after esbuild (the stack's bundling hook, the bench).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { lazyChunks, plainEsbuildSettings, repositoryRoot } from './bundling.ts';

const resolvePackage = createRequire(join(repositoryRoot, 'package.json')).resolve;

/** Builds the chunks the bundle in `outputDir` imports; answers their file names. */
export async function buildLazyChunks(outputDir: string): Promise<string[]> {
  const bundle = readFileSync(join(outputDir, 'index.mjs'), 'utf8');
  const built: string[] = [];
  for (const [pkg, file] of Object.entries(lazyChunks)) {
    if (!bundle.includes(`"./${file}"`)) continue;
    await build({
      ...plainEsbuildSettings,
      entryPoints: [resolvePackage(pkg)],
      outfile: join(outputDir, file),
      logLevel: 'warning',
    });
    built.push(file);
  }
  return built;
}

if (import.meta.main) {
  const [outputDir] = process.argv.slice(2);
  if (!outputDir) throw new Error('usage: node infra/aws/lazy-chunks.ts <bundle directory>');
  await buildLazyChunks(outputDir);
}
