/** Debian's Chromium, started as the workplace requires: headless, no sandbox as root, no background traffic. */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
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
