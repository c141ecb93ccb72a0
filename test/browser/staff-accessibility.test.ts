/** The staff pages through axe-core at 1280 and 390 px, as staff reach them. */
import type { Page } from 'playwright-core';
import { beforeAll, describe, it } from 'vitest';
import { checkAccessibility } from '#test/support/accessibility.ts';
import { clickAndLoad, skipBrowserTests, useChromium } from '#test/support/browser.ts';
import { useTestHost } from '#test/support/local-host.ts';
import { addStaff, staffPassword } from '#test/support/staff.ts';

describe.skipIf(skipBrowserTests)('staff pages for everyone', () => {
  const host = useTestHost();
  const browser = useChromium();
  const check = checkAccessibility(browser);

  beforeAll(async () => {
    await addStaff(host(), { email: 'wang.gm@maker.example', name: '王总', roles: ['gm'] });
    await addStaff(host(), { email: 'no.group@maker.example', name: 'No Group', roles: [] });
    await addStaff(host(), {
      email: 'first.time@maker.example',
      name: 'First Time',
      roles: ['qc'],
      temporaryPassword: 'Temporary-Pass-1!',
    });
  });

  async function signIn(page: Page, email: string, password = staffPassword) {
    await page.goto(`${host().url}/staff/login`);
    await page.fill('#email', email);
    await page.fill('#password', password);
    await clickAndLoad(page, 'button[type=submit]');
  }

  it('the sign-in page, empty and with its error', async () => {
    await check('staff-login', (page) => page.goto(`${host().url}/staff/login`));
    await check('staff-login-error', (page) => signIn(page, 'wang.gm@maker.example', 'Wrong-1!x'));
  });

  it('the first-password page', async () => {
    await check('staff-new-password', (page) =>
      signIn(page, 'first.time@maker.example', 'Temporary-Pass-1!'),
    );
  });

  it('the console, in Chinese and in English', async () => {
    await check('staff-console-zh', (page) => signIn(page, 'wang.gm@maker.example'));
    await check('staff-console-en', async (page) => {
      await signIn(page, 'wang.gm@maker.example');
      await page.goto(`${host().url}/staff/?lang=en`);
    });
  });

  it('setting up two-step sign-in: the start, and the key with its code field', async () => {
    await check('staff-mfa-start', async (page) => {
      await signIn(page, 'wang.gm@maker.example');
      await page.goto(`${host().url}/staff/mfa`);
    });
    await check('staff-mfa-key-en', async (page) => {
      await signIn(page, 'wang.gm@maker.example');
      await page.goto(`${host().url}/staff/mfa?lang=en`);
      await clickAndLoad(page, 'button:has-text("Set up an authenticator app")');
    });
  });

  it('the page for a user without a department', async () => {
    await check('staff-forbidden', (page) => signIn(page, 'no.group@maker.example'));
  });
});
