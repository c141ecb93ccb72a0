import { describe, expect, it } from 'vitest';
import { upsertCustomer } from '#functions/data/customers.ts';
import { checkAccessibility, violations } from '#test/support/accessibility.ts';
import { clickAndLoad, skipBrowserTests, useChromium } from '#test/support/browser.ts';
import { postForm, sentEmails, useTestHost, waitFor } from '#test/support/local-host.ts';

describe.skipIf(skipBrowserTests)('customer pages for everyone', () => {
  const host = useTestHost();
  const browser = useChromium();

  const check = checkAccessibility(browser);

  it('axe here does find violations (a check that cannot fail proves nothing)', async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    await page.setContent(
      '<html><body><img src="data:,"><input id="q"><p style="color:#ccc">faint</p></body></html>',
    );
    const found = (await violations(page)).map((line) => line.split(':')[0]);
    expect(found).toEqual(expect.arrayContaining(['image-alt', 'label', 'html-has-lang']));
    await context.close();
  });

  let receiptLink = '';
  let reference = '';
  const email = 'huang.lei@customer.example';

  it('the form, in Chinese and in English', async () => {
    await check('form-zh', (page) => page.goto(`${host().url}/`));
    await check('form-en', (page) => page.goto(`${host().url}/?lang=en`));
  });

  it('the form with errors, in both languages', async () => {
    for (const language of ['zh', 'en'] as const) {
      await check(`form-errors-${language}`, async (page) => {
        await page.goto(`${host().url}/?lang=${language}`);
        await page.fill('#customer-name', 'Huang Lei');
        await page.fill('#customer-email', email);
        await page.fill('#customer-region', 'Atlantis');
        await page.selectOption('#category', 'quality');
        await page.fill('#subject', 'x');
        await page.fill('#description', 'y');
        await page.fill('#claim-amount', 'a lot');
        await clickAndLoad(page, 'button[type=submit]');
        expect(await page.locator('.summary a').count()).toBe(3);
        // Words a customer understands, not the contract's codes.
        expect(await page.textContent('#claim-type-error')).not.toContain('compensation');
      });
    }
  });

  it('the thank-you page, and the page for a reference without its receipt', async () => {
    const response = await postForm(host(), '/complaints', {
      language: 'zh',
      'customer.name': '黄磊',
      'customer.email': email,
      'customer.market': 'domestic',
      'customer.region': '福建',
      category: 'quality',
      subject: '型材表面划伤',
      description: '第 2026-130 批型材表面有明显划伤。',
    });
    receiptLink = new URL(response.headers.get('location') ?? '', `${host().url}/complaints`).href;
    reference = new URL(receiptLink).searchParams.get('reference') ?? '';
    await check('thanks', (page) => page.goto(receiptLink));
    const receipt = new URL(receiptLink).searchParams.get('receipt') ?? '';
    await check('attachments', (page) =>
      page.goto(`${host().url}/attachments?${new URLSearchParams({ reference, receipt })}`),
    );
    await check('attachments-refused', (page) =>
      page.goto(
        `${host().url}/attachments?${new URLSearchParams({ reference, receipt, result: 'wrong_type' })}`,
      ),
    );
    await check('thanks-unconfirmed', (page) =>
      page.goto(`${host().url}/thanks?reference=${reference}`),
    );
  });

  it('the status lookup, the status page and not found', async () => {
    await check('status-lookup', (page) => page.goto(`${host().url}/status?lang=en`));
    await check('status', (page) =>
      page.goto(`${host().url}/status?${new URLSearchParams({ reference, email })}`),
    );
    await check('status-not-found', (page) =>
      page.goto(`${host().url}/status?${new URLSearchParams({ reference, email: 'x@y.example' })}`),
    );
  });

  it('a bilingual message page (a form over 64 KB)', async () => {
    const tooLong = await postForm(host(), '/complaints', { description: 'x'.repeat(70_000) });
    expect(tooLong.status).toBe(413);
    const page = await tooLong.text();
    await check('message-too-long', (tab) => tab.setContent(page));
  });

  it('the privacy notice', async () => {
    await check('privacy-zh', (page) => page.goto(`${host().url}/privacy`));
    await check('privacy-en', (page) => page.goto(`${host().url}/privacy?lang=en`));
  });

  it('the survey, its errors, its thank-you page and a refused link', async () => {
    await upsertCustomer(
      {
        email: 'anna.berg@kund.example',
        name: 'Anna Berg',
        company: 'Berg Fasad AB',
        market: 'export',
        region: 'SE',
        language: 'en',
      },
      'import',
      new Date().toISOString(),
    );
    await host().fire('survey-campaign');
    const invitation = await waitFor(async () => {
      const mails = await sentEmails(host());
      return mails.find((mail) => mail.destination.to.includes('anna.berg@kund.example'));
    }, 'the invitation');
    const link = /(http:\/\/localhost:\d+\/survey\/\S+)/.exec(invitation.body.text ?? '')?.[1];
    if (!link) throw new Error('no link in the invitation');
    await check('survey', (page) => page.goto(link));
    await check('survey-errors', async (page) => {
      await page.goto(link);
      await page.locator('form').evaluate((form) => form.setAttribute('novalidate', ''));
      await clickAndLoad(page, 'button[type=submit]');
      // Every unanswered question is listed, in English, and linked.
      expect(await page.locator('.summary a').count()).toBe(7);
      expect(await page.textContent('.error')).not.toMatch(/[\u4e00-\u9fff]/);
    });
    await check('survey-refused', (page) => page.goto(`${host().url}/survey/not-a-token`));
    await check('survey-thanks', async (page) => {
      // The first width answers; the second finds the link used, which is a page of its own.
      await page.goto(link);
      if ((await page.locator('form').count()) === 0) return;
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
      await clickAndLoad(page, 'button[type=submit]');
    });
  });
});
