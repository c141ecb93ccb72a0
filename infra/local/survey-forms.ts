/**
 * `npm run survey:forms -- --year YYYY [--out DIR]`: for each department that surveys
 * customers (sales: domestic, export: export), the printable questionnaires of its phone,
 * fax and post customers (HTML, one A4 page each: print it or save it as PDF) and its call
 * list (HTML and CSV). The campaign must have started: it lists these customers.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { departmentNames } from '#functions/domain/departments.ts';
import {
  callListCsv,
  callListDocument,
  questionnairesDocument,
} from '#functions/reports/survey-forms.ts';
import { offlineSurveysOf } from '#functions/services/survey-offline.ts';
import { site } from '#functions/shared/site.ts';
import { repositoryRoot } from './lambda-runtime.ts';
import { useOperatorTarget } from './operator-target.ts';

try {
  const { values } = parseArgs({
    options: { year: { type: 'string' }, out: { type: 'string' } },
  });
  const year = Number(values.year ?? new Date().getFullYear());
  if (!Number.isInteger(year) || year < 2000 || year > 2999) {
    throw new Error('Usage: npm run survey:forms -- --year YYYY [--out DIR]');
  }
  const out = resolve(values.out ?? join(repositoryRoot, '.data', 'reports'));
  console.info(`Reading the ${year} survey from the ${await useOperatorTarget()}…`);
  await mkdir(out, { recursive: true });
  for (const department of ['sales', 'export'] as const) {
    const surveys = await offlineSurveysOf(year, department);
    const options = {
      year,
      department,
      departmentName: departmentNames[department],
      company: site().company,
    };
    const forms = join(out, `survey-forms-${year}-${department}.html`);
    const calls = join(out, `survey-calls-${year}-${department}.html`);
    const csv = join(out, `survey-calls-${year}-${department}.csv`);
    await writeFile(forms, questionnairesDocument(surveys, options).html);
    await writeFile(calls, callListDocument(surveys, options).html);
    await writeFile(csv, callListCsv(surveys));
    const phone = surveys.filter((survey) => survey.channel === 'phone').length;
    console.info(`${department}: ${surveys.length} questionnaires, ${phone} to call.`);
    console.info(`  Questionnaires (print, A4): ${forms}`);
    console.info(`  Call list: ${calls} and ${csv}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
