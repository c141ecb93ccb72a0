/** The form's bot check over HTTP: a bot gets a thank-you page, and nothing is stored or sent. */
import { describe, expect, it } from 'vitest';
import { sentEmails, useTestHost } from '#test/support/local-host.ts';
import { storedComplaints } from '#test/support/table.ts';

const form = (extra: Record<string, string>) => ({
  'customer.name': '赵强',
  'customer.email': 'zhao.qiang@customer.example',
  'customer.market': 'domestic',
  'customer.region': '江苏',
  category: 'delivery',
  subject: '交货延迟',
  description: '合同约定 3 月 1 日交货，至今未到。',
  ...extra,
});

async function post(url: string, fields: Record<string, string>) {
  return fetch(`${url}/complaints`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

describe('the form’s bot check', () => {
  const host = useTestHost({ settings: { FORM_MINIMUM_FILL_SECONDS: '3' } });

  it('serves the form with the time it was served and a field people never see', async () => {
    const page = await (await fetch(`${host().url}/`)).text();
    expect(page).toMatch(/name="formIssuedAt" value="\d{13}"/);
    expect(page).toMatch(/<div class="hp">.*name="website"/);
  });

  it('thanks a bot that fills the hidden field or posts at once, and keeps nothing', async () => {
    const filled = await post(host().url, form({ website: 'https://spam.example' }));
    const hasty = await post(host().url, form({ formIssuedAt: String(Date.now() - 500) }));
    for (const response of [filled, hasty]) {
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('We have received your message.');
    }
    // Nothing stored, so nothing can be routed or mailed either.
    expect(await storedComplaints()).toHaveLength(0);
    expect(await sentEmails(host())).toHaveLength(0);
  });

  it('files the complaint of a person who took their time', async () => {
    const response = await post(
      host().url,
      form({ formIssuedAt: String(Date.now() - 60_000), website: '' }),
    );
    expect(response.status).toBe(303);
    expect(await storedComplaints()).toHaveLength(1);
  });
});
