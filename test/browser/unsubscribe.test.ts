/**
 * The survey mail and its unsubscribe page in Chromium: the invitation as a mail client
 * would show it, the page behind List-Unsubscribe (axe, 1280 and 390 px, screenshots in
 * ACCESSIBILITY_SHOTS), and its button, JavaScript off, opting the address out.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getCustomer, upsertCustomer } from '#functions/data/customers.ts';
import { checkAccessibility } from '#test/support/accessibility.ts';
import { clickAndLoad, skipBrowserTests, useChromium } from '#test/support/browser.ts';
import { sentEmails, useTestHost, waitFor } from '#test/support/local-host.ts';

const shots = process.env.ACCESSIBILITY_SHOTS ?? '.data/screens';

describe.skipIf(skipBrowserTests)('unsubscribing in a browser', () => {
  const host = useTestHost();
  const browser = useChromium();
  const check = checkAccessibility(browser);
  const email = 'wang.fang@customer.example';
  let link = '';
  let html = '';

  it('sends a survey mail that reads as a whole letter', async () => {
    await upsertCustomer(
      {
        email,
        name: '王芳',
        company: '华北铝窗有限公司',
        market: 'domestic',
        region: 'CN-HE',
        language: 'zh',
      },
      'import',
      new Date().toISOString(),
    );
    await host().fire('survey-campaign');
    const invitation = await waitFor(
      async () => (await sentEmails(host())).find((mail) => mail.destination.to.includes(email)),
      'the invitation',
    );
    link = /<([^>]+)>/.exec(
      invitation.headers?.find((header) => header.name === 'List-Unsubscribe')?.value ?? '',
    )?.[1] as string;
    expect(link).toMatch(/\/unsubscribe\/[A-Za-z0-9_-]{43}$/);
    html = invitation.body.html ?? '';
    const context = await browser().newContext({
      javaScriptEnabled: false,
      viewport: { width: 700, height: 900 },
    });
    const page = await context.newPage();
    await page.setContent(html);
    await page.screenshot({ path: join(shots, 'survey-mail.png'), fullPage: true });
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('body')).toContain('客户服务部');
    expect(await page.getAttribute('a:has-text("不再询问我")', 'href')).toBe(link);
    await context.close();
  });

  it('shows an accessible page with one button, in both languages', async () => {
    await check('unsubscribe', async (page) => {
      await page.goto(link);
      expect(await page.textContent('h1')).toBe('不再接收满意度调查');
      expect(await page.textContent('body')).toContain('No more satisfaction surveys');
    });
    expect((await getCustomer(email))?.optedOutAt).toBeUndefined();
  });

  it('opts out with the button, JavaScript off', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(link);
    await clickAndLoad(page, 'button[type=submit]');
    expect(await page.textContent('h1')).toBe('已取消订阅');
    await page.screenshot({ path: join(shots, 'unsubscribed-1280.png'), fullPage: true });
    expect((await getCustomer(email))?.optedOutAt).toEqual(expect.any(String));
    await context.close();
  });
});
