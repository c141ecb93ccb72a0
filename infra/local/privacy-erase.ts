/**
 * `npm run privacy:erase -- --email ADDRESS [--dry-run] [--by NAME]`: erases one person's
 * data on the running local host, or on AWS with TABLE_NAME and ATTACHMENTS_BUCKET set.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { type ErasePlan, erasePersonalData } from '#functions/services/privacy-erase.ts';
import { useOperatorTarget } from './operator-target.ts';

const usage =
  'Usage: npm run privacy:erase -- --email ADDRESS [--dry-run] [--by NAME]\n' +
  '  --dry-run  list what would change, change nothing\n' +
  '  --by       who asked for it (default: your user name); kept in each complaint history';

let options: { email?: string; 'dry-run': boolean; by?: string };
try {
  ({ values: options } = parseArgs({
    options: {
      email: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      by: { type: 'string' },
    },
  }));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  console.error(usage);
  process.exit(2);
}
const email = options.email?.trim();
if (!email?.includes('@')) {
  console.error(usage);
  process.exit(2);
}

function describe(plan: ErasePlan, dryRun: boolean): string {
  const verb = dryRun ? 'Would' : 'Did';
  return [
    `${verb} erase the personal data of ${plan.email}:`,
    `  complaints anonymised: ${plan.complaints.length}${plan.complaints.map((c) => `\n    ${c.reference} (${c.files} file${c.files === 1 ? '' : 's'} deleted)`).join('')}`,
    `  customer registry entry deleted: ${plan.registryEntry ? 'yes' : 'none kept'}`,
    `  survey answers anonymised (ratings kept, words dropped): ${plan.surveyYears.length > 0 ? plan.surveyYears.join(', ') : 'none'}`,
    `  survey mail markers deleted: ${plan.surveyMailMarkers}`,
  ].join('\n');
}

try {
  const target = await useOperatorTarget();
  const dryRun = options['dry-run'];
  const by = options.by?.trim() || userInfo().username;
  console.info(`${dryRun ? 'Dry run on' : 'Erasing on'} the ${target}…`);
  const plan = await erasePersonalData({ email, by, dryRun, now: new Date() });
  console.info(describe(plan, dryRun));
  process.exit(0);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
