/**
 * Who the yearly survey writes to, over the local host: an address typed into the public
 * form is not enough; a complainant whose complaint staff accepted is, and so is an
 * imported customer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { deliverableCustomers, getCustomer, upsertCustomer } from '#functions/data/customers.ts';
import {
  postForm,
  postJson,
  type SentEmail,
  sentEmails,
  useTestHost,
  validComplaint,
  waitFor,
} from '#test/support/local-host.ts';
import { waitUntilQueuesIdle } from '#test/support/notifications.ts';
import { addStaff, idTokenOf } from '#test/support/staff.ts';

const host = useTestHost({
  settings: {
    SURVEY_SEND_RATE_PER_SECOND: '100',
    // About two seconds between mails to one customer, so a reminder can be seen here.
    SURVEY_REMINDER_INTERVAL_DAYS: String(2 / 86_400),
  },
});
const sales = { email: 'sales.he@maker.example', name: '何经营', roles: ['sales' as const] };
let token = '';

beforeAll(async () => {
  await addStaff(host(), sales);
  token = await idTokenOf(host(), sales.email);
});

const customer = (email: string) => ({ ...validComplaint().customer, email });

async function file(email: string): Promise<string> {
  const response = await postJson(
    host(),
    '/complaints',
    validComplaint({ customer: customer(email) }),
  );
  const { reference } = (await response.json()) as { reference: string };
  return reference;
}

async function accept(reference: string): Promise<number> {
  await waitFor(async () => {
    const response = await fetch(`${host().url}/staff/api/complaints/${reference}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as { status?: string };
    return body.status === 'routed' ? true : undefined;
  }, `${reference} routed`);
  const response = await fetch(`${host().url}/staff/api/complaints/${reference}/actions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'accept', version: 0 }),
  });
  return response.status;
}

const invitationsTo = async (address: string) =>
  (await sentEmails(host())).filter(
    (mail) => mail.destination.to.includes(address) && /满意|satisfaction/i.test(mail.subject),
  );

describe('who is surveyed', () => {
  it('invites an imported customer and an accepted complainant, not anonymous form posts', async () => {
    await file('typed.in@anyone.example');
    const form = await postForm(host(), '/complaints', {
      'customer.name': '无名',
      'customer.email': 'form.post@anyone.example',
      'customer.market': 'domestic',
      'customer.region': '江苏',
      category: 'delivery',
      subject: '交货延迟',
      description: '至今未到。',
    });
    expect(form.status).toBe(303);
    const accepted = await file('accepted@customer.example');
    expect(await accept(accepted)).toBe(200);
    await upsertCustomer(
      { email: 'imported@customer.example', market: 'export', region: 'DE', language: 'en' },
      'import',
      new Date().toISOString(),
    );
    await waitUntilQueuesIdle(host());
    // The form's customers are in the registry (their complaints' customer), but not surveyable.
    expect(await getCustomer('typed.in@anyone.example')).toMatchObject({ source: 'complaint' });
    expect(await getCustomer('accepted@customer.example')).toMatchObject({
      complaintAcceptedAt: expect.any(String),
    });

    await host().fire('survey-campaign');
    await waitFor(
      async () => ((await invitationsTo('imported@customer.example')).length ? true : undefined),
      'the imported customer’s invitation',
    );
    await waitUntilQueuesIdle(host());
    expect(await invitationsTo('accepted@customer.example')).toHaveLength(1);
    expect(await invitationsTo('typed.in@anyone.example')).toHaveLength(0);
    expect(await invitationsTo('form.post@anyone.example')).toHaveLength(0);
  });
});

describe('unsubscribing from the survey', () => {
  const header = (mail: SentEmail, name: string) =>
    mail.headers?.find((entry) => entry.name.toLowerCase() === name.toLowerCase())?.value;

  it('carries List-Unsubscribe with a token link and RFC 8058 one-click in the stored mail', async () => {
    const [invitation] = await invitationsTo('imported@customer.example');
    if (!invitation) throw new Error('no invitation');
    const link = /^<(http:\/\/localhost:\d+\/unsubscribe\/[A-Za-z0-9_-]{43})>$/.exec(
      header(invitation, 'List-Unsubscribe') ?? '',
    )?.[1];
    expect(link).toBeDefined();
    expect(header(invitation, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(link).not.toContain('customer.example');
    // The same offer in words, in both parts.
    expect(invitation.body.text).toContain(link);
    expect(invitation.body.html).toContain('Do not ask me again');
  });

  it('shows a page with a button on GET and opts out on a one-click POST, without sign-in', async () => {
    const [invitation] = await invitationsTo('imported@customer.example');
    const link = /<([^>]+)>/.exec(
      invitation?.headers?.find((entry) => entry.name === 'List-Unsubscribe')?.value ?? '',
    )?.[1];
    if (!link) throw new Error('no link');
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toMatch(
      /<form method="post" action="[^"]+"><input type="hidden" name="List-Unsubscribe"/,
    );
    expect(text).toContain('不再询问我');
    // Opening the link changes nothing (mail scanners open links).
    expect((await getCustomer('imported@customer.example'))?.optedOutAt).toBeUndefined();

    const oneClick = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await getCustomer('imported@customer.example')).toMatchObject({
      optedOutAt: expect.any(String),
      deliverable: true,
    });
    const eligible = (await deliverableCustomers(100)).customers.map((entry) => entry.email);
    expect(eligible).toEqual(['accepted@customer.example']);
    expect((await fetch(`${host().url}/unsubscribe/${'A'.repeat(43)}`)).status).toBe(404);
  });

  it('sends reminders to those still asked, none to the address that opted out', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await host().fire('survey-daily');
    await waitFor(
      async () =>
        (await invitationsTo('accepted@customer.example')).length >= 2 ? true : undefined,
      'the reminder',
    );
    await waitUntilQueuesIdle(host());
    const [reminder] = (await invitationsTo('accepted@customer.example')).slice(1);
    expect(reminder?.subject).toMatch(/提醒|Reminder/);
    expect(header(reminder as SentEmail, 'List-Unsubscribe-Post')).toBe(
      'List-Unsubscribe=One-Click',
    );
    expect(await invitationsTo('imported@customer.example')).toHaveLength(1);
  });
});

describe('the survey report in the console', () => {
  it('shows the year’s report to staff, the page the results mail links to', async () => {
    const year = new Date().getUTCFullYear();
    const years = [year, year + 1, year - 1];
    const pages = await Promise.all(
      years.map((candidate) =>
        fetch(`${host().url}/staff/survey/${candidate}/report`, {
          headers: { authorization: `Bearer ${token}` },
        }),
      ),
    );
    const statuses = pages.map((page) => page.status);
    // The campaign belongs to the business year (China time): one of these years.
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    const report = await (pages[statuses.indexOf(200)] as Response).text();
    expect(report).toContain('NPS');
    // Without a session: to the sign-in page, like every console page.
    const anonymous = await fetch(`${host().url}/staff/survey/${year}/report`, {
      redirect: 'manual',
    });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toContain('/staff/login');
  });
});
