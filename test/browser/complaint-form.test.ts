/**
 * A customer in a real browser, with JavaScript switched off: fill in the form, land on the
 * thank-you page, look up the status. Chromium comes from Debian (.ci/run installs it).
 */
import { mkdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  chromiumPath,
  clickAndLoad,
  skipBrowserTests,
  useChromium,
} from '#test/support/browser.ts';
import { useTestHost } from '#test/support/local-host.ts';

if (skipBrowserTests) {
  console.warn(
    `Browser tests skipped: no ${chromiumPath} (apt-get install chromium). CI runs them.`,
  );
}

describe.skipIf(skipBrowserTests)('the complaint form in a browser', () => {
  const host = useTestHost();
  const browser = useChromium();

  it('files a complaint without JavaScript and shows its status', async () => {
    const context = await browser().newContext({
      javaScriptEnabled: false,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    // Not the configured address (localhost): the form must post wherever it was opened.
    const opened = host().url.replace('localhost', '127.0.0.1');
    await page.goto(`${opened}/`);
    await page.fill('#customer-name', '陈刚');
    await page.fill('#customer-company', '西南幕墙工程有限公司');
    await page.fill('#customer-email', 'chen.gang@customer.example');
    await page.selectOption('#customer-market', 'domestic');
    await page.fill('#customer-region', '四川');
    await page.selectOption('#category', 'wrong_goods');
    await page.fill('#subject', '型号与订单不符');
    await page.fill('#description', '订单为 6061-T6，到货为 6063-T5。\n请尽快换货。');
    await page.fill('#order-batchNo', '2026-204');
    await page.selectOption('#claim-type', 'exchange');
    await mkdir('.data', { recursive: true });
    await page.screenshot({ path: '.data/form.png', fullPage: true });
    await Promise.all([page.waitForURL(/\/thanks\?reference=/), page.click('button[type=submit]')]);

    expect(page.url().startsWith(`${opened}/thanks?`)).toBe(true);
    const reference = (await page.textContent('.reference'))?.trim() ?? '';
    expect(reference).toMatch(/^FB-\d{4}-\d{6}$/);
    await page.screenshot({ path: '.data/thanks.png', fullPage: true });

    await page.fill('#thanks-email', 'CHEN.GANG@customer.example');
    await Promise.all([page.waitForURL(/\/status\?/), page.click('button[type=submit]')]);
    expect(await page.textContent('h1')).toContain(reference);
    const body = (await page.textContent('body')) ?? '';
    expect(body).toContain('货不对板');
    // Local time with its zone named, never the stored UTC timestamp.
    expect(body).toContain('中国标准时间');
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    await context.close();
  });

  it('shows field errors next to the fields and keeps what was typed', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${host().url}/`);
    // The English page: export is the market it starts with.
    await clickAndLoad(page, 'text=English');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.inputValue('#customer-market')).toBe('export');
    await page.fill('#customer-name', 'Maria Rossi');
    // The browser's own checks would stop an invalid address; a region it cannot check gets through.
    await page.fill('#customer-email', 'maria@cliente.example');
    await page.fill('#customer-region', 'Italia');
    await page.selectOption('#category', 'delivery');
    await page.fill('#subject', 'Late delivery');
    await page.fill('#description', 'Container due 1 November, still not shipped.');
    await clickAndLoad(page, 'button[type=submit]');
    expect(await page.textContent('#customer-region-error')).toContain(
      'Not a country name or ISO code',
    );
    expect(await page.getAttribute('#customer-region', 'aria-describedby')).toContain(
      'customer-region-error',
    );
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.inputValue('#subject')).toBe('Late delivery');
    // The summary on top links to the field.
    await page.click('.summary a[href="#customer-region"]');
    await page.fill('#customer-region', 'Italy');
    await Promise.all([page.waitForURL(/\/thanks\?reference=/), page.click('button[type=submit]')]);
    await context.close();
  });
});
