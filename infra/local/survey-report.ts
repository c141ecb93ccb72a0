/** `npm run survey:report -- --year YYYY [--out DIR]`: the year's report as CSV and HTML files. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { surveyReportCsv, surveyReportPage } from '#functions/reports/survey-report.ts';
import { surveyTally } from '#functions/services/survey-results.ts';
import { repositoryRoot } from './lambda-runtime.ts';
import { useOperatorTarget } from './operator-target.ts';

try {
  const { values } = parseArgs({
    options: { year: { type: 'string' }, out: { type: 'string' } },
  });
  const year = Number(values.year ?? new Date().getFullYear());
  if (!Number.isInteger(year) || year < 2000 || year > 2999) {
    throw new Error('Usage: npm run survey:report -- --year YYYY [--out DIR]');
  }
  const out = resolve(values.out ?? join(repositoryRoot, '.data', 'reports'));
  console.info(`Tallying the ${year} survey from the ${await useOperatorTarget()}…`);
  const tally = await surveyTally(year);
  const generatedAt = new Date();
  await mkdir(out, { recursive: true });
  const csvPath = join(out, `survey-${year}.csv`);
  const htmlPath = join(out, `survey-${year}.html`);
  await writeFile(csvPath, surveyReportCsv(tally, { generatedAt }));
  await writeFile(htmlPath, surveyReportPage(tally, { generatedAt }).html);
  console.info(`${tally.responses} answers from ${tally.invited ?? 0} invited customers.`);
  console.info(`  CSV (opens in Excel): ${csvPath}`);
  console.info(`  HTML with charts:     ${htmlPath}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
