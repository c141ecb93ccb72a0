/** Debian's Chromium, started as the workplace requires: headless, no sandbox as root, no background traffic. */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const chromiumPath = '/usr/bin/chromium';

export const chromiumArguments = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Browser tests run where Chromium is installed, and always in CI (where its absence is a failure). */
export const skipBrowserTests = !existsSync(chromiumPath) && !process.env.CI;

/**
 * One Chromium for the enclosing `describe`: launched before its tests, closed after them.
 * The getter answers inside tests and hooks.
 */
export function useChromium(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArguments });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('Chromium is not running: use it inside a test or a hook.');
    return browser;
  };
}

/**
 * Clicks what submits a form or follows a link, and waits for the page it leads to. The
 * listener is set before the click: `waitForLoadState()` would answer at once for the page
 * already loaded, and the next line would read the old page.
 */
export async function clickAndLoad(page: Page, selector: string): Promise<void> {
  const loaded = page.waitForEvent('load');
  await page.click(selector);
  await loaded;
}
