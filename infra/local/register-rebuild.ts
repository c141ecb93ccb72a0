/**
 * `npm run register:rebuild -- --year YYYY`: writes the register row of every complaint of
 * the year (by reference, no Scan), for complaints stored before the register existed.
 * Idempotent; on the running local host, or on AWS with `TABLE_NAME` set.
 */
import { parseArgs } from 'node:util';
import { rebuildRegister } from '#functions/services/register.ts';
import { useOperatorTarget } from './operator-target.ts';

try {
  const { values } = parseArgs({ options: { year: { type: 'string' } } });
  const year = Number(values.year ?? new Date().getFullYear());
  if (!Number.isInteger(year) || year < 2000 || year > 2999) {
    throw new Error('Usage: npm run register:rebuild -- --year YYYY');
  }
  console.info(`Rebuilding the ${year} register on the ${await useOperatorTarget()}…`);
  const { rows, gaps } = await rebuildRegister(year);
  console.info(`${rows} rows written; ${gaps} references with no complaint.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
