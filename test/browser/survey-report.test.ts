/**
 * The survey report as the management review reads it: on a phone (390 px) and printed on A4
 * in Chromium, no table is wider than the page, so no column is clipped.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { tallySurvey } from '#functions/domain/survey-statistics.ts';
import { surveyReportPage } from '#functions/reports/survey-report.ts';
import { skipBrowserTests, useChromium } from '#test/support/browser.ts';
import { knownAnswers, lastYear } from '#test/unit/survey-fixtures.ts';

const shots = process.env.ACCESSIBILITY_SHOTS ?? '.data/screens';
const report = surveyReportPage(
  tallySurvey({
    year: 2026,
    invited: {
      total: 14,
      byMarket: { domestic: 8, export: 6 },
      byRegion: { 'CN-GD': 3, DE: 2, 'CN-FJ': 2, FR: 2 },
    },
    responses: knownAnswers,
    lastYear,
  }),
  { generatedAt: new Date('2026-02-20T02:00:00Z') },
).html;

/** Tables (and the page) wider than what holds them: each would lose columns on paper. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll('table')]
    .filter((table) => table.scrollWidth > table.parentElement.clientWidth + 1)
    .map((table) => (table.caption?.textContent ?? table.rows[0]?.textContent ?? '').slice(0, 40))
    .concat(document.documentElement.scrollWidth > document.documentElement.clientWidth ? ['the page'] : [])`);
}

describe.skipIf(skipBrowserTests)('the survey report in Chromium', () => {
  const browser = useChromium();

  it('names the regions invited with no answers', () => {
    expect(report).toContain('Regions invited with no answers');
    expect(report).toMatch(/CN-FJ[^<]*Fujian/);
  });

  it('fits a phone at 390 px', async () => {
    const context = await browser().newContext({ viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    await page.setContent(report);
    await page.screenshot({ path: join(shots, 'survey-report-390.png'), fullPage: true });
    expect(await overflowing(page)).toEqual([]);
    await context.close();
  });

  it('prints on A4 with every column on the page', async () => {
    // A4 less the report's 12 mm margins, at CSS's 96 px to the inch: 186 mm ≈ 703 px.
    const context = await browser().newContext({ viewport: { width: 703, height: 1000 } });
    const page = await context.newPage();
    await page.setContent(report);
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join(shots, 'survey-report-a4.png'), fullPage: true });
    expect(await overflowing(page)).toEqual([]);
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await context.close();
  });
});
