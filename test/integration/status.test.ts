/** GET /complaints/{reference}?email= shows the public status only to the address that filed it. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  postJson,
  sentEmails,
  useTestHost,
  validComplaint,
  waitFor,
} from '#test/support/local-host.ts';

const host = useTestHost();
let reference: string;
let statusUrl: string;
const email = 'Li.Ming@Customer.example';

beforeAll(async () => {
  const complaint = validComplaint({ customer: { ...validComplaint().customer, email } });
  const response = await postJson(host(), '/complaints', complaint);
  ({ reference, statusUrl } = (await response.json()) as { reference: string; statusUrl: string });
});

const lookup = (ref: string, address: string, accept = 'application/json') =>
  fetch(`${host().url}/complaints/${ref}?email=${encodeURIComponent(address)}`, {
    headers: { accept },
  });

describe('status lookup', () => {
  it('shows the public status when the email matches, ignoring case', async () => {
    const response = await lookup(reference, 'li.ming@customer.EXAMPLE');
    expect(response.status).toBe(200);
    const status = (await response.json()) as Record<string, unknown>;
    expect(status).toEqual({
      reference,
      // Routing runs as soon as the complaint is queued: either is right here.
      status: expect.stringMatching(/^(received|routed)$/),
      category: 'quality',
      subject: validComplaint().subject,
      receivedAt: expect.any(String),
      updatedAt: expect.any(String),
      timeline: [{ step: 'received', at: status.receivedAt }],
    });
    expect(JSON.stringify(status)).not.toContain(email.toLowerCase());
  });

  it('renders a page for browsers', async () => {
    const response = await lookup(reference, email, 'text/html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain(reference);
  });

  it('answers a wrong email and an unknown reference alike, with 404', async () => {
    const wrongEmail = await lookup(reference, 'someone.else@example.com');
    const [year] = reference.split('-').slice(1);
    const unknown = await lookup(`FB-${year}-999999`, email);
    const missingEmail = await fetch(`${host().url}/complaints/${reference}`);
    const malformed = await lookup('not-a-reference', email);
    for (const response of [wrongEmail, unknown, missingEmail, malformed]) {
      expect(response.status).toBe(404);
    }
    expect(await wrongEmail.text()).toBe(await unknown.text());
  });
});

describe('status links with an access token', () => {
  it('the JSON statusUrl opens the status as given, and names no address', async () => {
    expect(statusUrl).toMatch(/\/complaints\/FB-\d{4}-\d{6}\?access=[A-Za-z0-9_-]{43}$/);
    const response = await fetch(statusUrl, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { reference: string }).reference).toBe(reference);
    const page = await fetch(statusUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
  });

  it('the acknowledgement links with its own token, not the customer’s email', async () => {
    const mail = await waitFor(
      async () =>
        (await sentEmails(host())).find((sent) =>
          sent.destination.to.some((to) => to.toLowerCase() === email.toLowerCase()),
        ),
      'the acknowledgement',
    );
    const link = /https?:\/\/\S+\/complaints\/FB-\d{4}-\d{6}\?access=[A-Za-z0-9_-]{43}/.exec(
      mail.body.text ?? '',
    )?.[0];
    expect(link).toBeDefined();
    expect(mail.body.text).not.toMatch(/[?&]email=/);
    expect(mail.body.html).not.toMatch(/[?&]amp;email=|[?&]email=/);
    expect(link).not.toBe(statusUrl);
    const response = await fetch(link ?? '', { headers: { accept: 'application/json' } });
    expect(response.status).toBe(200);
  });

  it('refuses a token of another complaint or a made-up one, like an unknown reference', async () => {
    const other = await postJson(host(), '/complaints', validComplaint());
    const otherUrl = ((await other.json()) as { statusUrl: string }).statusUrl;
    const token = new URL(otherUrl).searchParams.get('access') ?? '';
    const answers = await Promise.all(
      [token, 'A'.repeat(43), 'short'].map((access) =>
        fetch(`${host().url}/complaints/${reference}?access=${access}`, {
          headers: { accept: 'application/json' },
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404]);
  });
});

describe('GET /status (the standalone lookup)', () => {
  const page = (query: Record<string, string>) =>
    fetch(`${host().url}/status?${new URLSearchParams(query)}`);

  it('offers the lookup form', async () => {
    const response = await page({});
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('name="reference"');
    expect(text).toContain('name="email"');
  });

  it('shows the timeline in the customer language, in China Standard Time', async () => {
    const response = await page({ reference: reference.toLowerCase(), email });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('处理经过');
    expect(text).toContain('中国标准时间');
    expect(text).toContain('下一步');
    expect(text).not.toMatch(/>\d{4}-\d{2}-\d{2}T/);
  });

  it('answers not found with the form filled in to try again, the same for both causes', async () => {
    const [year] = reference.split('-').slice(1);
    const wrongEmail = await page({ reference, email: 'someone.else@example.com' });
    const unknown = await page({
      reference: `FB-${year}-999999`,
      email: 'someone.else@example.com',
    });
    expect(wrongEmail.status).toBe(404);
    expect(unknown.status).toBe(404);
    const text = await wrongEmail.text();
    expect(text).toContain(`value="${reference}"`);
    expect(text).toContain('name="email"');
    expect(text).toContain('href="./?lang=zh"');
    expect(text.replace(reference, '')).toBe(
      (await unknown.text()).replace(`FB-${year}-999999`, ''),
    );
  });
});
