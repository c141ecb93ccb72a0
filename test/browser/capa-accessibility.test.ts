/**
 * The CAPA pages through axe-core at 1280 and 390 px, as staff reach them: the list, the
 * new-CAPA form prefilled from a suggestion's link (and with its errors), one CAPA with its
 * step forms, and the complaint page that links to it. Screenshots in .data/screens.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkAccessibility } from '#test/support/accessibility.ts';
import { clickAndLoad, skipBrowserTests, useChromium } from '#test/support/browser.ts';
import { postJson, useTestHost, validComplaint, waitFor } from '#test/support/local-host.ts';
import { addStaff, idTokenOf, staffPassword } from '#test/support/staff.ts';

describe.skipIf(skipBrowserTests)('CAPA pages', () => {
  const host = useTestHost();
  const browser = useChromium();
  const check = checkAccessibility(browser);
  let complaint = '';
  let capa = '';

  async function api(token: string, path: string, body?: unknown) {
    const response = await fetch(`${host().url}/staff/api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await response.json()) as Record<string, unknown>;
  }

  beforeAll(async () => {
    await addStaff(host(), { email: 'wang.gm@maker.example', name: '王总', roles: ['gm'] });
    await addStaff(host(), { email: 'li.qc@maker.example', name: '李质检', roles: ['qc'] });
    const gm = await idTokenOf(host(), 'wang.gm@maker.example');
    const response = await postJson(host(), '/complaints', validComplaint());
    complaint = String(((await response.json()) as { reference: string }).reference);
    await waitFor(async () => {
      const detail = await api(gm, `/complaints/${complaint}`);
      return detail.status === 'routed' ? true : undefined;
    }, 'routing');
    const created = await api(gm, '/capa', {
      type: 'corrective',
      source: 'complaints',
      complaints: [complaint],
      category: 'quality',
      productModel: 'X-200',
      problem: '三件投诉：X-200 型号缝线开裂 (seams split on model X-200)',
      rootCause: '二号线胶温漂移 (glue temperature drifted on line 2)',
      actions: [
        {
          description: '校准胶线 Recalibrate the glue line',
          department: 'production_vp',
          dueDate: '2026-01-31',
        },
        {
          description: '一个月内逐批检验 Inspect every batch for a month',
          department: 'qc',
          dueDate: '2099-03-31',
        },
      ],
      effectiveness: {
        method: '三个月内无同类投诉 No seam complaints for three months',
        dueDate: '2099-06-30',
      },
    });
    capa = String(created.reference);
    await api(gm, `/capa/${capa}/actions`, { action: 'approve_plan', version: 1, comment: '同意' });
  });

  async function signIn(page: Page, email: string) {
    await page.goto(`${host().url}/staff/login`);
    await page.fill('#email', email);
    await page.fill('#password', staffPassword);
    await clickAndLoad(page, 'button[type=submit]');
  }

  it('the list, in Chinese and in English', async () => {
    await check('capa-list-zh', async (page) => {
      await signIn(page, 'wang.gm@maker.example');
      await page.goto(`${host().url}/staff/capa`);
    });
    await check('capa-list-en', async (page) => {
      await signIn(page, 'wang.gm@maker.example');
      await page.goto(`${host().url}/staff/capa?lang=en`);
    });
  });

  it('the new-CAPA form, prefilled from a suggestion, and with its errors', async () => {
    await check('capa-new-prefilled', async (page) => {
      await signIn(page, 'li.qc@maker.example');
      await page.goto(
        `${host().url}/staff/capa/new?complaints=${complaint}&category=quality&productModel=X-200&lang=en`,
      );
      expect(await page.inputValue('#complaints')).toBe(complaint);
    });
    await check('capa-new-errors', async (page) => {
      await signIn(page, 'li.qc@maker.example');
      await page.goto(`${host().url}/staff/capa/new`);
      await page.fill('#problem', 'x');
      // The browser's own checks would stop the post: remove them to see the server's answer.
      await page.evaluate(
        'document.querySelector("form[action^=\\"/staff/capa\\"]").noValidate = true',
      );
      await clickAndLoad(page, 'main button[type=submit]');
      expect(await page.locator('[role=alert]').count()).toBe(1);
    });
  });

  it('one CAPA with its forms (QC), and the complaint that links to it', async () => {
    await check('capa-page-zh', async (page) => {
      await signIn(page, 'li.qc@maker.example');
      await page.goto(`${host().url}/staff/capa/${capa}`);
      expect(await page.locator('tr.overdue').count()).toBe(1);
    });
    await check('capa-page-en', async (page) => {
      await signIn(page, 'wang.gm@maker.example');
      await page.goto(`${host().url}/staff/capa/${capa}?lang=en`);
    });
    await check('capa-complaint-link', async (page) => {
      await signIn(page, 'wang.gm@maker.example');
      await page.goto(`${host().url}/staff/complaints/${complaint}?lang=en`);
      expect(await page.locator(`a[href="/staff/capa/${capa}?lang=en"]`).count()).toBe(1);
    });
  });
});
