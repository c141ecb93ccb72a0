/**
 * The management-review pack in Chromium: axe at 1280 and 390 px; then printed. In print
 * media at A4's width every table and chart fits (scrollWidth ≤ clientWidth, nothing past
 * the page's right edge), each section after the first starts a page, and the PDF Chromium
 * prints on A4 has a page per section at least. The PDF and a print-media screenshot are
 * kept in .data/screens for a person to look at.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '#functions/domain/register.ts';
import { checkAccessibility } from '#test/support/accessibility.ts';
import { clickAndLoad, skipBrowserTests, useChromium } from '#test/support/browser.ts';
import { postJson, useTestHost, validComplaint } from '#test/support/local-host.ts';
import { waitUntilQueuesIdle } from '#test/support/notifications.ts';
import { addStaff, idTokenOf, staffPassword } from '#test/support/staff.ts';

const shots = process.env.ACCESSIBILITY_SHOTS ?? '.data/screens';
const today = chinaDate(new Date().toISOString());
const from = `${today.slice(0, 4)}-01-01`;
// A long unbroken word and long names: what would push a table past the page.
const longWord = 'Aluminiumprofiloberflächenbeschichtungsqualitätsprüfungsbericht';

describe.skipIf(skipBrowserTests)('the management-review pack in print', () => {
  const host = useTestHost();
  const browser = useChromium();
  const check = checkAccessibility(browser);
  const path = () => `${host().url}/staff/review?from=${from}&to=${today}`;

  beforeAll(async () => {
    await addStaff(host(), { email: 'wang.gm@maker.example', name: '王总', roles: ['gm'] });
    const token = await idTokenOf(host(), 'wang.gm@maker.example');
    const references: string[] = [];
    for (let index = 0; index < 24; index++) {
      const response = await postJson(
        host(),
        '/complaints',
        validComplaint({
          category: index % 6 === 5 ? 'suggestion' : index % 2 ? 'quality' : 'delivery',
          subject: index === 0 ? `${longWord} 表面处理` : `第 ${index} 件：型材表面氧化膜脱落`,
          customer: {
            ...validComplaint().customer,
            company: index === 0 ? `${longWord} GmbH & Co. KG` : `华南门窗有限公司 ${index}`,
            email: `buyer${index}@customer.example`,
          },
          order: { productModel: index % 3 ? 'X-200' : `${longWord}-9` },
        }),
      );
      expect(response.status).toBe(202);
      references.push(String(((await response.json()) as { reference: string }).reference));
    }
    await waitUntilQueuesIdle(host());
    const created = await fetch(`${host().url}/staff/api/capa`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'corrective',
        source: 'complaints',
        complaints: references.slice(0, 8),
        problem: `型材表面氧化膜脱落，${longWord}，多批次重复发生`,
        rootCause: '氧化槽温度控制失效',
        actions: [
          { description: '更换温控器', department: 'production_vp', dueDate: '2099-01-31' },
        ],
        effectiveness: { method: '三个月内无同类投诉', dueDate: '2099-06-30' },
      }),
    });
    expect(created.status).toBe(201);
  });

  async function signIn(page: Page) {
    await page.goto(`${host().url}/staff/login`);
    await page.fill('#email', 'wang.gm@maker.example');
    await page.fill('#password', staffPassword);
    await clickAndLoad(page, 'button[type=submit]');
  }

  it('passes axe at 1280 and 390 px', async () => {
    await check('review-pack', async (page) => {
      await signIn(page);
      await page.goto(path());
    });
  });

  it('fits A4 in print: no table cut off, a page per section, printed to PDF', async () => {
    // A4 is 210 mm wide: 794 CSS px at 96 dpi, less the 12 mm margins each side.
    const context = await browser().newContext({
      viewport: { width: 794, height: 1123 },
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    await signIn(page);
    await page.goto(path());
    await page.emulateMedia({ media: 'print' });
    const printable = Math.floor(((210 - 24) / 25.4) * 96);
    await page.setViewportSize({ width: printable, height: 1000 });

    const tables = await page.evaluate<
      { index: number; scrollWidth: number; clientWidth: number; right: number }[]
    >(`[...document.querySelectorAll('table, svg')].map((element, index) => ({
      index,
      scrollWidth: element.scrollWidth ?? 0,
      clientWidth: element.clientWidth ?? 0,
      right: element.getBoundingClientRect().right,
    }))`);
    expect(tables.length).toBeGreaterThan(10);
    const width = await page.evaluate<number>('document.documentElement.clientWidth');
    for (const table of tables) {
      expect(table.scrollWidth, `element ${table.index} scrolls`).toBeLessThanOrEqual(
        table.clientWidth,
      );
      expect(table.right, `element ${table.index} runs past the page`).toBeLessThanOrEqual(width);
    }
    expect(
      await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      ),
    ).toBeLessThanOrEqual(0);
    const breaks = await page.evaluate<string[]>(
      `[...document.querySelectorAll('section.page')].map((section) => getComputedStyle(section).breakBefore)`,
    );
    expect(breaks).toEqual(['auto', 'page', 'page', 'page', 'page']);
    expect(await page.locator('.toolbar').isVisible()).toBe(false);
    await page.screenshot({ path: join(shots, 'review-pack-print.png'), fullPage: true });

    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    await writeFile(join(shots, 'review-pack.pdf'), pdf);
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
    // Five sections, each after the first on a new page; the register's 24 rows may add one.
    expect(pages).toBeGreaterThanOrEqual(5);
    expect(pages).toBeLessThanOrEqual(12);
    await context.close();
  });
});
