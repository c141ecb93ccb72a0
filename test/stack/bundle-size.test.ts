/**
 * Bundles every function for real, once, exactly as `cdk synth` does (local esbuild), and
 * holds each bundle to its recorded budget. The sizes are printed; `npm run bench` shows
 * what they cost in start-up time. Raise a budget only on purpose, with the reason in git.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { functionSpecs } from '#functions/wiring.ts';
import { logicalId, resourcesOf, type Synthesized, synthesize } from './synth.ts';

interface Budgets {
  /** For a function with no budget of its own yet (e.g. just added to the wiring). */
  defaultBytes: number;
  functions: Record<string, number>;
}

const budgets = JSON.parse(
  readFileSync(new URL('./bundle-budgets.json', import.meta.url), 'utf8'),
) as Budgets;

const workbookFunctions = ['registerExport', 'reviewWorkbook'];

let outdir: string;
let synth: Synthesized;

beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), 'aftercare-cdk-'));
  synth = synthesize({
    bundling: true,
    outdir,
    context: { 'aws:cdk:enable-asset-metadata': true },
  });
}, 180_000);

afterAll(async () => {
  if (outdir) await rm(outdir, { recursive: true, force: true });
});

it('keeps every function bundle within its budget', async () => {
  const resources = resourcesOf(synth.statelessTemplate);
  const rows: string[] = [];
  const over: string[] = [];
  for (const [name] of functionSpecs()) {
    const fn = synth.stateless.functions.get(name);
    if (!fn) throw new Error(`no function ${name}`);
    const assetPath = resources[logicalId(synth.stateless, fn)]?.Metadata?.['aws:asset:path'];
    expect(typeof assetPath, `${name} has no bundled asset`).toBe('string');
    const bytes = (await stat(join(outdir, String(assetPath), 'index.mjs'))).size;
    // exceljs, loaded on the first workbook, is a file of its own beside the bundle.
    const chunk = join(outdir, String(assetPath), 'exceljs.mjs');
    expect(existsSync(chunk), `${name}'s exceljs chunk`).toBe(workbookFunctions.includes(name));
    const budget = budgets.functions[name] ?? budgets.defaultBytes;
    const own = name in budgets.functions ? '' : ' (default budget: record one)';
    rows.push(
      `${name.padEnd(22)}${(bytes / 1024).toFixed(1).padStart(8)} KB  of ${(budget / 1024).toFixed(0)} KB${own}`,
    );
    if (bytes > budget) over.push(`${name}: ${bytes} bytes > budget ${budget}`);
  }
  console.info(`Function bundles (index.mjs, minified ESM):\n${rows.join('\n')}`);
  expect(over).toEqual([]);
}, 60_000);

it("carries the stage's company name and privacy notice, and its Chinese as UTF-8", () => {
  const fn = synth.stateless.functions.get('webPages');
  if (!fn) throw new Error('no function webPages');
  const resources = resourcesOf(synth.statelessTemplate);
  const assetPath = resources[logicalId(synth.stateless, fn)]?.Metadata?.['aws:asset:path'];
  const bundle = readFileSync(join(outdir, String(assetPath), 'index.mjs'), 'utf8');
  const { company, privacyNotice } = synth.config.customerPages;
  for (const text of [company.zh, company.en, ...privacyNotice.zh.split('\n\n')]) {
    expect(bundle).toContain(text);
  }
  // The CDK drops its own `charset` option (aws/aws-cdk#32649): escapes would take 6 bytes a
  // character where UTF-8 takes 3.
  expect(bundle).toContain('个人信息保护说明');
  expect(bundle).not.toMatch(/\\u[4-9][0-9A-F]{3}/);
});
