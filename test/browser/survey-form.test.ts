/** A customer answers the yearly survey from the link in their invitation, JavaScript off. */
import { mkdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { upsertCustomer } from '#functions/data/customers.ts';
import { getInvitation } from '#functions/data/surveys.ts';
import { businessYear } from '#functions/shared/clock.ts';
import { clickAndLoad, skipBrowserTests, useChromium } from '#test/support/browser.ts';
import { sentEmails, useTestHost, waitFor } from '#test/support/local-host.ts';

describe.skipIf(skipBrowserTests)('the survey in a browser', () => {
  const host = useTestHost();
  const browser = useChromium();

  it('answers from the invitation link and shows the thank-you page', async () => {
    const email = 'zhou.min@customer.example';
    await upsertCustomer(
      {
        email,
        name: '周敏',
        company: '华东幕墙工程有限公司',
        market: 'domestic',
        region: 'CN-ZJ',
        language: 'zh',
      },
      'import',
      new Date().toISOString(),
    );
    await host().fire('survey-campaign');
    const invitation = await waitFor(async () => {
      const mails = await sentEmails(host());
      return mails.find((mail) => mail.destination.to.includes(email));
    }, 'the invitation');
    const link = /(http:\/\/localhost:\d+\/survey\/\S+)/.exec(invitation.body.text ?? '')?.[1];
    if (!link) throw new Error('no link in the invitation');

    const context = await browser().newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(link);
    expect(await page.textContent('h1')).toBe('用户满意情况调查表');
    for (const [name, value] of Object.entries({
      productQuality: '5',
      delivery: '3',
      documents: '4',
      goodsAccuracy: '5',
      afterSalesService: '4',
      overall: '4',
      recommend: '8',
    })) {
      await page.check(`input[name=${name}][value="${value}"]`);
    }
    await page.fill('#suggestions', '交货期能再短一些。');
    await mkdir('.data', { recursive: true });
    await page.screenshot({ path: '.data/survey.png', fullPage: true });
    await clickAndLoad(page, 'button[type=submit]');
    expect(await page.textContent('h1')).toBe('感谢您的评价');

    const year = businessYear(new Date());
    const stored = await getInvitation(year, email);
    expect(stored?.answer).toEqual({
      ratings: {
        productQuality: 5,
        delivery: 3,
        documents: 4,
        goodsAccuracy: 5,
        afterSalesService: 4,
        overall: 4,
      },
      recommend: 8,
      suggestions: '交货期能再短一些。',
    });
    await page.goto(link);
    expect(await page.textContent('h1')).toBe('已提交');
    await context.close();
  });
});
