/** `npm run customers:import -- FILE`: adds or updates customers from an operator's CSV. */
import { readFile } from 'node:fs/promises';
import { describeBadRow } from '#functions/contract/customer-csv.ts';
import { importCustomers } from '#functions/services/customer-registry.ts';
import { useOperatorTarget } from './operator-target.ts';

const file = process.argv[2];
if (!file) {
  console.error('Usage: npm run customers:import -- FILE.csv');
  console.error('Columns: company,name,email,market,region,language (UTF-8, header row first)');
  process.exit(2);
}

try {
  const bytes = await readFile(file);
  console.info(`Importing ${file} into the ${await useOperatorTarget()}…`);
  const report = await importCustomers(bytes, new Date().toISOString(), (done, total) => {
    if (done % 100 === 0 || done === total) process.stdout.write(`\r  ${done}/${total} rows`);
  });
  if (report.good.length > 0) process.stdout.write('\n');
  for (const problem of report.fileErrors) console.error(`File: ${problem}`);
  if (report.ignoredColumns.length > 0) {
    console.warn(`Ignored columns: ${report.ignoredColumns.join(', ')}`);
  }
  for (const row of report.bad) console.error(`  ${describeBadRow(row)}`);
  console.info(
    `Done: ${report.created} added, ${report.updated} updated, ${report.bad.length} rows refused.`,
  );
  process.exit(report.fileErrors.length > 0 || report.bad.length > 0 ? 1 : 0);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
