/**
 * The outlet's visit report form (behind its personal link) in Chromium: axe at 1280 and
 * 390 px, blank and with errors marked. Screenshots go to .data/screens.
 */
import { describe, it } from 'vitest';
import { visitReportPage } from '#functions/web/visit-pages.ts';
import { checkAccessibility } from '#test/support/accessibility.ts';
import { skipBrowserTests, useChromium } from '#test/support/browser.ts';

const input = {
  reference: 'C-2027-0001',
  subject: '门窗密封不严，需要上门检查',
  visit: {
    date: '2027-01-11',
    from: '09:00',
    to: '12:00',
    timeZone: 'Asia/Shanghai',
    address: '广州市白云区工业路 8 号 2 号厂房',
    contact: { name: '陈工', phone: '+86 20 8888 0000' },
  },
  action: 'http://localhost/visit/token',
};

describe.skipIf(skipBrowserTests)('the visit report form', () => {
  const browser = useChromium();
  const check = checkAccessibility(browser);

  it('passes axe blank and with errors marked', async () => {
    await check('visit-report', (page) => page.setContent(visitReportPage(input).toString()));
    await check('visit-report-errors', (page) =>
      page.setContent(
        visitReportPage({
          ...input,
          errors: {
            findings: 'Required / 必填',
            departedAt: 'Departure is before arrival / 离开时间早于到达时间',
          },
          values: { arrivedAt: '2027-01-11T11:00', departedAt: '2027-01-11T10:00' },
        }).toString(),
      ),
    );
  });
});
