/**
 * `npm run review:pack -- --from YYYY-MM-DD --to YYYY-MM-DD [--out DIR]`: the management-review
 * pack of the period as a print-ready HTML file and an XLSX workbook (register, statistics,
 * CAPA, survey).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseReviewQuery } from '#functions/contract/review-query.ts';
import { reviewPackPage } from '#functions/reports/review-pack.ts';
import { reviewPack } from '#functions/services/review-pack.ts';
import { reviewFileName, reviewWorkbook } from '#functions/services/review-workbook.ts';
import { site } from '#functions/shared/site.ts';
import { repositoryRoot } from './lambda-runtime.ts';
import { useOperatorTarget } from './operator-target.ts';

try {
  const { values } = parseArgs({
    options: { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } },
  });
  const now = new Date();
  const parsed = parseReviewQuery({ from: values.from, to: values.to }, now);
  if (!parsed.ok) {
    throw new Error(
      `${Object.values(parsed.errors).join('; ')}\nUsage: npm run review:pack -- --from YYYY-MM-DD --to YYYY-MM-DD [--out DIR]`,
    );
  }
  const { from, to } = parsed.value;
  const out = resolve(values.out ?? join(repositoryRoot, '.data', 'reports'));
  console.info(
    `Gathering the management review of ${from} – ${to} from the ${await useOperatorTarget()}…`,
  );
  const pack = await reviewPack(from, to, now);
  await mkdir(out, { recursive: true });
  const htmlPath = join(out, reviewFileName(from, to, 'html'));
  const xlsxPath = join(out, reviewFileName(from, to, 'xlsx'));
  await writeFile(
    htmlPath,
    reviewPackPage(pack, { generatedAt: now, company: site().company.zh }).html,
  );
  const workbook = await reviewWorkbook(pack);
  await writeFile(xlsxPath, workbook.body);
  console.info(
    `${pack.statistics.total} complaints, ${pack.openCapa.length} CAPA open, ${pack.closedCapa.length} closed; survey ${pack.survey?.year ?? 'none'}.`,
  );
  console.info(`  HTML (print to PDF, A4): ${htmlPath}`);
  console.info(`  XLSX workbook:           ${xlsxPath}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
