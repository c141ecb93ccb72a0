/**
 * axe-core in Chromium against WCAG 2.2 A/AA and axe's best practices, with an overflow
 * check at a phone's 390 px and screenshots at 1280 and 390 px in ACCESSIBILITY_SHOTS
 * (default .data/screens) for a person to look at.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AxeResults } from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const shots = process.env.ACCESSIBILITY_SHOTS ?? '.data/screens';
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** axe's violations on the page, as `rule: target…` lines, so a failure says what to fix. */
export async function violations(page: Page): Promise<string[]> {
  await page.evaluate(await axeSource);
  const results = await page.evaluate<AxeResults>(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(tags)} } })`,
  );
  return results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
}

/** Returns `check(name, reach)`: opens the page at 1280 and at 390 px and checks it both times. */
export function checkAccessibility(
  browser: () => Browser,
  prepare: (context: BrowserContext) => Promise<void> = async () => undefined,
) {
  return async (name: string, reach: (page: Page) => Promise<unknown>) => {
    for (const width of [1280, 390]) {
      // JavaScript only for axe itself; CSP bypassed so its script may run. The pages have none.
      const context = await browser().newContext({
        viewport: { width, height: 900 },
        bypassCSP: true,
        timezoneId: 'Asia/Shanghai',
      });
      await prepare(context);
      const page = await context.newPage();
      await reach(page);
      await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
      expect(await violations(page), `${name} at ${width} px`).toEqual([]);
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow, `${name} scrolls sideways at ${width} px`).toBeLessThanOrEqual(0);
      expect(await page.locator('main').count(), `${name} has one <main>`).toBe(1);
      await context.close();
    }
  };
}
