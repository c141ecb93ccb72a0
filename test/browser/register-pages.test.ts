/**
 * The register and statistics pages through axe-core at 1280 and 390 px, with complaints in
 * them (a CAPA suggestion included), as a signed-in member of staff reaches them.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkAccessibility } from '#test/support/accessibility.ts';
import { clickAndLoad, skipBrowserTests, useChromium } from '#test/support/browser.ts';
import { useTestHost, validComplaint, waitFor } from '#test/support/local-host.ts';
import { addStaff, idTokenOf, staffPassword } from '#test/support/staff.ts';

describe.skipIf(skipBrowserTests)('register and statistics pages', () => {
  const host = useTestHost();
  const browser = useChromium();
  const check = checkAccessibility(browser);

  beforeAll(async () => {
    await addStaff(host(), { email: 'wang.gm@maker.example', name: '王总', roles: ['gm'] });
    await addStaff(host(), { email: 'li.qc@maker.example', name: '李质检', roles: ['qc'] });
    const token = await idTokenOf(host(), 'wang.gm@maker.example');
    const models = ['X-100', 'X-100', 'X-100', 'Y-7', 'Z-9'];
    for (const [index, productModel] of models.entries()) {
      const at = new Date(Date.now() - (index * 9 + 1) * 86_400_000).toISOString();
      const response = await fetch(`${host().url}/staff/api/complaints`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          ...validComplaint({ order: { productModel, batchNo: `B-${index}` } }),
          category: index === 4 ? 'delivery' : 'quality',
          channel: 'phone',
          receivedAt: at,
        }),
      });
      expect(response.status).toBe(202);
    }
    await waitFor(async () => {
      const response = await fetch(`${host().url}/staff/api/register`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await response.json()) as { items: unknown[] };
      return body.items.length === models.length ? true : undefined;
    }, 'the register rows');
  });

  async function signIn(page: Page, email: string) {
    await page.goto(`${host().url}/staff/login`);
    await page.fill('#email', email);
    await page.fill('#password', staffPassword);
    await clickAndLoad(page, 'button[type=submit]');
  }

  it('the register, in Chinese and in English, for any department', async () => {
    await check('staff-register-zh', async (page) => {
      await signIn(page, 'li.qc@maker.example');
      await page.goto(`${host().url}/staff/register`);
    });
    await check('staff-register-en', async (page) => {
      await signIn(page, 'wang.gm@maker.example');
      await page.goto(`${host().url}/staff/register?lang=en&category=quality`);
    });
  });

  it('the statistics with charts and a CAPA suggestion', async () => {
    await check('staff-statistics-zh', async (page) => {
      await signIn(page, 'wang.gm@maker.example');
      await page.goto(`${host().url}/staff/statistics`);
      expect(await page.locator('svg').count()).toBe(3);
      expect(await page.locator('.suggestion a').getAttribute('href')).toContain(
        '/staff/capa/new?complaints=FB-',
      );
    });
    await check('staff-statistics-en', async (page) => {
      await signIn(page, 'li.qc@maker.example');
      await page.goto(`${host().url}/staff/statistics?lang=en`);
    });
  });
});
