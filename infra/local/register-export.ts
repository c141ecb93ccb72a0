/**
 * `npm run register:export -- --from YYYY-MM-DD --to YYYY-MM-DD --format xlsx|csv [--out DIR]`
 * (and any of `--department --category --status --market --region --product-model`): the
 * register of the period as a file, from the running local host (or AWS when `TABLE_NAME`
 * is set). Logged in the export history like the console's exports, as the operator.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseRegisterQuery } from '#functions/contract/register-query.ts';
import { recordExport } from '#functions/data/register.ts';
import {
  exportFileName,
  registerExportEntry,
  registerFile,
} from '#functions/services/register-export.ts';
import { repositoryRoot } from './lambda-runtime.ts';
import { useOperatorTarget } from './operator-target.ts';

const usage =
  'Usage: npm run register:export -- --from YYYY-MM-DD --to YYYY-MM-DD --format xlsx|csv [--out DIR] [--category …]';

try {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string', default: 'xlsx' },
      out: { type: 'string' },
      department: { type: 'string' },
      category: { type: 'string' },
      status: { type: 'string' },
      market: { type: 'string' },
      region: { type: 'string' },
      'product-model': { type: 'string' },
    },
  });
  const { out: outOption, 'product-model': productModel, ...rest } = values;
  const parsed = parseRegisterQuery({ ...rest, productModel }, new Date());
  if (!parsed.ok || (parsed.value.format !== 'csv' && parsed.value.format !== 'xlsx')) {
    throw new Error(
      `${parsed.ok ? 'Format must be xlsx or csv' : JSON.stringify(parsed.fields)}\n${usage}`,
    );
  }
  const query = parsed.value;
  const format = parsed.value.format;
  console.info(
    `Exporting the register ${query.from} – ${query.to} from the ${await useOperatorTarget()}…`,
  );
  const started = Date.now();
  const { body, rows } = await registerFile(query, format);
  const out = resolve(outOption ?? join(repositoryRoot, '.data', 'reports'));
  await mkdir(out, { recursive: true });
  const path = join(out, exportFileName(query, format));
  await writeFile(path, body);
  const by = { email: `operator@${hostname()}`, name: userInfo().username };
  await recordExport(registerExportEntry(randomUUID(), new Date(), by, query, format, rows));
  console.info(`${rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s: ${path}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
