/**
 * The procedure in the console, in Chromium with JavaScript off: a QC engineer records a root
 * cause; sales accepts and proposes compensation; the GM approves; sales responds; the
 * customer answers "not satisfied" through the link in the email; it comes back reopened.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkAccessibility } from '#test/support/accessibility.ts';
import {
  chromiumPath,
  clickAndLoad,
  skipBrowserTests,
  useChromium,
} from '#test/support/browser.ts';
import {
  postJson,
  sentEmails,
  useTestHost,
  validComplaint,
  waitFor,
} from '#test/support/local-host.ts';
import { waitUntilQueuesIdle } from '#test/support/notifications.ts';
import { addStaff, staffPassword } from '#test/support/staff.ts';

if (skipBrowserTests) {
  console.warn(
    `Browser tests skipped: no ${chromiumPath} (apt-get install chromium). CI runs them.`,
  );
}

describe.skipIf(skipBrowserTests)('case handling in the console', () => {
  const host = useTestHost();
  const browser = useChromium();
  let reference: string;

  beforeAll(async () => {
    await addStaff(host(), { email: 'qc@maker.example', name: '李质检', roles: ['qc'] });
    await addStaff(host(), { email: 'sales@maker.example', name: '张经营', roles: ['sales'] });
    await addStaff(host(), { email: 'gm@maker.example', name: '王总', roles: ['gm'] });
    const response = await postJson(
      host(),
      '/complaints',
      validComplaint({ claim: { type: 'compensation', amount: 8000, currency: 'CNY' } }),
    );
    ({ reference } = (await response.json()) as { reference: string });
    await waitFor(
      async () =>
        (await sentEmails(host())).some((email) => email.subject.includes(reference))
          ? true
          : undefined,
      'routing',
    );
    await waitUntilQueuesIdle(host());
  });

  async function signedIn(who: string): Promise<{ page: Page; close: () => Promise<void> }> {
    const context = await browser().newContext({
      javaScriptEnabled: false,
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    await page.goto(`${host().url}/staff/login`);
    await page.fill('#email', who);
    await page.fill('#password', staffPassword);
    await Promise.all([page.waitForURL(/\/staff\/$/), page.click('button[type=submit]')]);
    return { page, close: () => context.close() };
  }

  async function openCase(page: Page) {
    await clickAndLoad(page, `a:has-text("${reference}")`);
    expect(await page.textContent('h1')).toContain(reference);
  }

  async function submit(page: Page, action: string) {
    await Promise.all([
      page.waitForURL(/done=/),
      page.click(`form[aria-label="${action}"] button[type=submit]`),
    ]);
    expect(new URL(page.url()).searchParams.get('done')).toBe('done');
  }

  it('runs from the root cause to the customer’s reopening', async () => {
    const qc = await signedIn('qc@maker.example');
    expect(await qc.page.textContent('main')).toContain(reference);
    await openCase(qc.page);
    await qc.page.fill('#root-cause', '氧化槽温度失控导致膜层附着力不足');
    await qc.page.fill('#corrective-action', '加装温度报警，每班记录');
    await submit(qc.page, '原因分析');
    expect(await qc.page.textContent('.timeline')).toContain('氧化槽温度失控');
    await qc.close();

    const sales = await signedIn('sales@maker.example');
    await openCase(sales.page);
    await submit(sales.page, '受理');
    await sales.page.selectOption('#remedy-type', 'compensation');
    await sales.page.fill('#remedy-amount', '5000');
    await sales.page.fill('#response-text', '经检验确属质量问题，我们赔偿 5000 元并更换全部型材。');
    await submit(sales.page, '提出处理方案');
    expect(await sales.page.textContent('dl')).toContain('待总经理审批');
    expect(await sales.page.locator('form[aria-label="答复客户"]').count()).toBe(0);

    const gm = await signedIn('gm@maker.example');
    await openCase(gm.page);
    await submit(gm.page, '批准');
    await gm.close();

    await sales.page.reload();
    await submit(sales.page, '答复客户');
    expect(await sales.page.textContent('dl')).toContain('已答复客户');

    await waitUntilQueuesIdle(host());
    const mail = (await sentEmails(host())).find(
      (email) =>
        email.subject.includes(reference) && email.subject.startsWith('我们对您意见的答复'),
    );
    const link = /(http:\/\/\S+\/feedback\/[A-Za-z0-9_-]{43})/.exec(mail?.body.text ?? '')?.[1];
    expect(link).toBeDefined();
    // Opening the link records nothing: the form is checked as the customer sees it first.
    await checkAccessibility(browser)('feedback-form', (page) => page.goto(String(link)));
    const customer = await browser().newContext({
      javaScriptEnabled: false,
      locale: 'zh-CN',
    });
    const answer = await customer.newPage();
    await answer.goto(String(link));
    await answer.check('input[value="not_satisfied"]');
    await answer.fill('#comment', '赔偿金额不足以弥补损失');
    await clickAndLoad(answer, 'button[type=submit]');
    expect(await answer.textContent('main')).toContain('我们已重新打开');
    await customer.close();

    await sales.page.reload();
    expect(await sales.page.textContent('dl')).toContain('已重新打开');
    expect(await sales.page.textContent('.timeline')).toContain('赔偿金额不足以弥补损失');
    await clickAndLoad(sales.page, 'text=English');
    expect(await sales.page.textContent('dl')).toContain('Reopened');
    await sales.close();
  });
});
