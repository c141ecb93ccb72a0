/**
 * The survey on paper and in the console, in Chromium: every questionnaire prints on one A4
 * page with nothing clipped (the PDF has one page per customer), the call list fits A4, and
 * the console's survey page passes axe at 1280 and 390 px. Screenshots go to .data/screens.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { getInvitation } from '#functions/data/surveys.ts';
import { departmentNames } from '#functions/domain/departments.ts';
import { offlineCustomerAddress } from '#functions/domain/survey-channels.ts';
import {
  callListDocument,
  type PaperSurvey,
  questionnairesDocument,
} from '#functions/reports/survey-forms.ts';
import { importCustomers } from '#functions/services/customer-registry.ts';
import { businessYear } from '#functions/shared/clock.ts';
import { checkAccessibility } from '#test/support/accessibility.ts';
import { clickAndLoad, skipBrowserTests, useChromium } from '#test/support/browser.ts';
import { useTestHost } from '#test/support/local-host.ts';
import { addStaff, staffPassword } from '#test/support/staff.ts';

const shots = process.env.ACCESSIBILITY_SHOTS ?? '.data/screens';

const surveys: PaperSurvey[] = [
  {
    email: 'a@x.example',
    name: '王强',
    company: '华南五金厂',
    market: 'domestic',
    language: 'zh',
    channel: 'phone',
    code: '27-4KQ8-M2XD',
    phone: '+86 20 8888 0001',
  },
  {
    email: 'b@x.example',
    name: 'Hans-Joachim Weber-Schmidt',
    company:
      'Berliner Fenster- und Fassadenbau Gesellschaft mit beschränkter Haftung & Co. Kommanditgesellschaft',
    market: 'export',
    language: 'en',
    channel: 'post',
    code: '27-ZZZZ-9999',
    postalAddress: 'Hauptstraße 1, Hinterhaus, 3. Obergeschoss links\n10115 Berlin\nGermany',
  },
  {
    email: 'c@x.example',
    name: '赵六',
    company: '北方建材',
    market: 'domestic',
    language: 'zh',
    channel: 'fax',
    code: '27-0000-AAAA',
    fax: '+86 10 6666 0002',
  },
];
const options = {
  year: 2027,
  department: 'sales',
  departmentName: departmentNames.sales,
  company: { zh: '本公司', en: 'Our company' },
};

/** Elements wider than what holds them, and the page itself: each would be clipped on paper. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll('table, .head, .who, .foot')]
    .filter((element) => element.scrollWidth > element.parentElement.clientWidth + 1)
    .map((element) => element.className || element.tagName)
    .concat(document.documentElement.scrollWidth > document.documentElement.clientWidth ? ['the page'] : [])`);
}

function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}

describe.skipIf(skipBrowserTests)('the survey on paper', () => {
  const browser = useChromium();

  it('prints each questionnaire on one A4 page, nothing clipped', async () => {
    // A4 less the 12 mm margins, at CSS's 96 px to the inch: 186 × 273 mm ≈ 703 × 1031 px.
    const context = await browser().newContext({ viewport: { width: 703, height: 1031 } });
    const page = await context.newPage();
    await page.setContent(questionnairesDocument(surveys, options).html);
    await page.emulateMedia({ media: 'print' });
    expect(await overflowing(page)).toEqual([]);
    const heights = await page.evaluate<number[]>(
      `[...document.querySelectorAll('.form')].map((form) => form.getBoundingClientRect().height)`,
    );
    expect(heights).toHaveLength(3);
    for (const height of heights) expect(height).toBeLessThanOrEqual(1031);
    await page.screenshot({ path: join(shots, 'survey-questionnaires-a4.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    expect(pdfPages(pdf)).toBe(3);
    await context.close();
  });

  it('prints the call list on A4, every column on the page', async () => {
    const context = await browser().newContext({ viewport: { width: 703, height: 1031 } });
    const page = await context.newPage();
    await page.setContent(callListDocument(surveys, options).html);
    await page.emulateMedia({ media: 'print' });
    expect(await overflowing(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'survey-call-list-a4.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    expect(pdfPages(pdf)).toBe(1);
    await context.close();
  });
});

describe.skipIf(skipBrowserTests)('the console’s survey page', () => {
  const host = useTestHost();
  const browser = useChromium();
  const check = checkAccessibility(browser);
  const year = businessYear(new Date());
  const phoneCustomer = offlineCustomerAddress('phone', '+86 20 8888 0001');

  beforeAll(async () => {
    await addStaff(host(), { email: 'sales@maker.example', name: '销售小李', roles: ['sales'] });
    await importCustomers(
      new TextEncoder().encode(
        [
          'company,name,email,market,region,survey_channel,phone,fax,address',
          '华南五金厂,王强,,domestic,广东,phone,+86 20 8888 0001,,',
          '北方建材,赵六,,domestic,北京,fax,,+86 10 6666 0002,',
        ].join('\n'),
      ),
      new Date().toISOString(),
    );
    await host().fire('survey-campaign');
  });

  async function signIn(page: Page) {
    await page.goto(`${host().url}/staff/login?next=/staff/surveys/${year}`);
    await page.fill('#email', 'sales@maker.example');
    await page.fill('#password', staffPassword);
    await clickAndLoad(page, 'button[type=submit]');
  }

  it('the search and the entry form, in Chinese and in English', async () => {
    const customer = encodeURIComponent(phoneCustomer);
    await check('staff-survey-zh', async (page) => {
      await signIn(page);
      await page.goto(
        `${host().url}/staff/surveys/${year}?q=${encodeURIComponent('王')}&customer=${customer}`,
      );
    });
    await check('staff-survey-en', async (page) => {
      await signIn(page);
      await page.goto(`${host().url}/staff/surveys/${year}?customer=${customer}&lang=en`);
    });
  });

  it('the customer search and one customer’s page', async () => {
    await check('staff-customers-search', async (page) => {
      await signIn(page);
      await page.goto(`${host().url}/staff/customers?q=${encodeURIComponent('建材')}`);
    });
    await check('staff-customer-en', async (page) => {
      await signIn(page);
      await page.goto(`${host().url}/staff/customers/${encodeURIComponent(phoneCustomer)}?lang=en`);
    });
  });

  it('an answer entered, then a second one refused', async () => {
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page);
    const entry = `${host().url}/staff/surveys/${year}?customer=${encodeURIComponent(phoneCustomer)}`;
    const fill = async () => {
      await page.goto(entry);
      for (const name of [
        'productQuality',
        'delivery',
        'documents',
        'goodsAccuracy',
        'afterSalesService',
        'overall',
      ]) {
        await page.check(`input[name=${name}][value="4"]`);
      }
      await page.check('input[name=recommend][value="9"]');
      await page.fill('#suggestions', '电话回访：希望缩短交货周期。');
    };
    await fill();
    // Saved from a second tab: the first tab's form is still open.
    const second = await context.newPage();
    await second.goto(entry);
    await clickAndLoad(page, 'form[action*="/answers"] button');
    expect(await page.textContent('[role=status]')).toContain('答卷已记录');
    await page.screenshot({ path: join(shots, 'staff-survey-recorded.png'), fullPage: true });
    for (const name of [
      'productQuality',
      'delivery',
      'documents',
      'goodsAccuracy',
      'afterSalesService',
      'overall',
    ]) {
      await second.check(`input[name=${name}][value="1"]`);
    }
    await second.check('input[name=recommend][value="0"]');
    await clickAndLoad(second, 'form[action*="/answers"] button');
    expect(await second.textContent('[role=alert]')).toContain('每位客户每年只记录一份');
    await second.screenshot({ path: join(shots, 'staff-survey-refused.png'), fullPage: true });
    expect((await getInvitation(year, phoneCustomer))?.answer?.recommend).toBe(9);
    await context.close();
  });
});
