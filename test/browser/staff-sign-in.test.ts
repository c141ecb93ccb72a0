/**
 * Staff in a real browser, with JavaScript switched off: sign in, see your name, sign out;
 * a wrong password; the first sign-in with a temporary password.
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumPath,
  clickAndLoad,
  skipBrowserTests,
  useChromium,
} from '#test/support/browser.ts';
import { useTestHost } from '#test/support/local-host.ts';
import { addStaff, staffPassword } from '#test/support/staff.ts';

if (skipBrowserTests) {
  console.warn(
    `Browser tests skipped: no ${chromiumPath} (apt-get install chromium). CI runs them.`,
  );
}

describe.skipIf(skipBrowserTests)('staff sign-in in a browser', () => {
  const host = useTestHost();
  const browser = useChromium();

  beforeAll(async () => {
    await addStaff(host(), { email: 'li.qc@maker.example', name: '李质检', roles: ['qc'] });
    await addStaff(host(), {
      email: 'new.sales@maker.example',
      name: 'Zhang Sales',
      roles: ['sales'],
      temporaryPassword: 'Temporary-Pass-1!',
    });
  });

  async function submitSignIn(page: Page, email: string, password: string) {
    await page.fill('#email', email);
    await page.fill('#password', password);
    await clickAndLoad(page, 'button[type=submit]');
  }

  it('signs in, shows the name and roles, and signs out', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${host().url}/staff/`);
    expect(new URL(page.url()).pathname).toBe('/staff/login');
    await mkdir('.data', { recursive: true });
    await page.screenshot({ path: '.data/staff-login.png', fullPage: true });

    await submitSignIn(page, 'li.qc@maker.example', staffPassword);
    expect(new URL(page.url()).pathname).toBe('/staff/');
    expect(await page.textContent('.bar')).toContain('李质检');
    expect(await page.textContent('.bar')).toContain('质检科');
    await page.screenshot({ path: '.data/staff-console.png', fullPage: true });

    await clickAndLoad(page, 'text=English');
    expect(await page.textContent('h1')).toBe('Queue');
    expect(await page.textContent('.bar')).toContain('Quality Control');

    await Promise.all([page.waitForURL(/\/staff\/login/), page.click('.bar button')]);
    expect(await page.textContent('body')).toContain('You have signed out');
    await page.goto(`${host().url}/staff/`);
    expect(new URL(page.url()).pathname).toBe('/staff/login');
    await context.close();
  });

  it('says the email or password is wrong, and stays signed out', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${host().url}/staff/login`);
    await submitSignIn(page, 'li.qc@maker.example', 'Wrong-Password-99');
    expect(await page.textContent('[role=alert]')).toContain(
      'The email or password is not correct',
    );
    expect(await page.inputValue('#email')).toBe('li.qc@maker.example');
    const cookies = await context.cookies();
    expect(cookies.map((cookie) => cookie.name)).not.toContain('aftercare_session');
    await context.close();
  });

  it('asks for a new password at the first sign-in', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${host().url}/staff/login`);
    await submitSignIn(page, 'new.sales@maker.example', 'Temporary-Pass-1!');
    expect(await page.textContent('h1')).toContain('Choose a new password');
    await page.screenshot({ path: '.data/staff-new-password.png', fullPage: true });
    await page.fill('#password', 'Chosen-Password-2026');
    await page.fill('#confirm', 'Chosen-Password-2026');
    await Promise.all([page.waitForURL(/\/staff\/$/), page.click('button[type=submit]')]);
    expect(await page.textContent('.bar')).toContain('Zhang Sales');
    await context.close();
  });
});
