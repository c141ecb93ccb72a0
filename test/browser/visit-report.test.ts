/**
 * The outlet's visit report form (behind its personal link) in Chromium: axe at 1280 and
 * 390 px, blank and with errors marked. Screenshots go to .data/screens.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, it } from 'vitest';
import { visitReportPage } from '#functions/web/visit-pages.ts';
import { checkAccessibility } from '#test/support/accessibility.ts';
import { clickAndLoad, skipBrowserTests, useChromium } from '#test/support/browser.ts';
import { postJson, useTestHost, validComplaint, waitFor } from '#test/support/local-host.ts';
import { waitUntilQueuesIdle } from '#test/support/notifications.ts';
import { addStaff, idTokenOf, staffPassword } from '#test/support/staff.ts';

const input = {
  reference: 'C-2027-0001',
  subject: '门窗密封不严，需要上门检查',
  visit: {
    date: '2027-01-11',
    from: '09:00',
    to: '12:00',
    timeZone: 'Asia/Shanghai',
    address: '广州市白云区工业路 8 号 2 号厂房',
    contact: { name: '陈工', phone: '+86 20 8888 0000' },
  },
  action: 'http://localhost/visit/token',
};

describe.skipIf(skipBrowserTests)('the visit report form', () => {
  const browser = useChromium();
  const check = checkAccessibility(browser);

  it('passes axe blank and with errors marked', async () => {
    await check('visit-report', (page) => page.setContent(visitReportPage(input).toString()));
    await check('visit-report-errors', (page) =>
      page.setContent(
        visitReportPage({
          ...input,
          errors: {
            findings: 'Required / 必填',
            departedAt: 'Departure is before arrival / 离开时间早于到达时间',
          },
          values: { arrivedAt: '2027-01-11T11:00', departedAt: '2027-01-11T10:00' },
        }).toString(),
      ),
    );
  });
});

describe.skipIf(skipBrowserTests)('the case page with the visit form', () => {
  const host = useTestHost();
  const browser = useChromium();
  const check = checkAccessibility(browser);
  let reference: string;

  beforeAll(async () => {
    await addStaff(host(), { email: 'sales@maker.example', name: '张经营', roles: ['sales'] });
    const token = await idTokenOf(host(), 'sales@maker.example');
    const response = await postJson(
      host(),
      '/complaints',
      validComplaint({ category: 'onsite_service' }),
    );
    ({ reference } = (await response.json()) as { reference: string });
    await waitFor(async () => {
      const detail = await fetch(`${host().url}/staff/api/complaints/${reference}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await detail.json()) as { status?: string };
      return body.status === 'routed' ? true : undefined;
    }, 'routing');
    await waitUntilQueuesIdle(host());
  });

  async function openCase(page: Page, lang: '' | '?lang=en') {
    await page.goto(`${host().url}/staff/login`);
    await page.fill('#email', 'sales@maker.example');
    await page.fill('#password', staffPassword);
    await clickAndLoad(page, 'button[type=submit]');
    await page.goto(`${host().url}/staff/complaints/${reference}${lang}`);
  }

  it('passes axe in Chinese and in English', async () => {
    await check('case-visit-form-zh', (page) => openCase(page, ''));
    await check('case-visit-form-en', (page) => openCase(page, '?lang=en'));
  });
});
