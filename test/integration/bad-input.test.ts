/** Every class of bad input gets its status and field messages, and stores nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, useTestHost, validComplaint } from '#test/support/local-host.ts';
import { storedComplaints } from '#test/support/table.ts';

const host = useTestHost();
let before: number;

// Registered after the host's hooks, so these run once it is up and before it stops.
beforeAll(async () => {
  before = (await storedComplaints()).length;
});
afterAll(async () => {
  // Nothing that was refused may have left a trace.
  expect((await storedComplaints()).length).toBe(before);
});

async function fieldsOf(response: Response): Promise<Record<string, string>> {
  expect(response.status).toBe(400);
  const body = (await response.json()) as { error: string; fields: Record<string, string> };
  expect(body.error).toBe('validation_failed');
  return body.fields;
}

describe('bad input', () => {
  it('names each missing required field', async () => {
    const fields = await fieldsOf(await postJson(host(), '/complaints', {}));
    expect(Object.keys(fields).sort()).toEqual(['category', 'customer', 'description', 'subject']);
  });

  it('names nested fields with dotted paths', async () => {
    const complaint = validComplaint();
    const fields = await fieldsOf(
      await postJson(host(), '/complaints', {
        ...complaint,
        customer: { ...complaint.customer, email: 'nobody', market: 'mars' },
      }),
    );
    expect(Object.keys(fields).sort()).toEqual(['customer.email', 'customer.market']);
  });

  it.each([
    [
      'customer.name',
      { customer: { ...validComplaint().customer, name: 'Li\r\nBcc: victim@example.com' } },
    ],
    [
      'customer.company',
      { customer: { ...validComplaint().customer, company: 'ACME\nBcc: x@y.z' } },
    ],
    ['subject', { subject: 'Hello\r\nContent-Type: text/html' }],
  ])('rejects a line break in %s, which could reach an email header', async (field, override) => {
    const fields = await fieldsOf(await postJson(host(), '/complaints', validComplaint(override)));
    expect(Object.keys(fields)).toEqual([field]);
  });

  it('bounds the description at 5,000 characters', async () => {
    const fields = await fieldsOf(
      await postJson(host(), '/complaints', validComplaint({ description: 'x'.repeat(5001) })),
    );
    expect(Object.keys(fields)).toEqual(['description']);
    const ok = await postJson(
      host(),
      '/complaints',
      validComplaint({ description: 'x'.repeat(5000), subject: 'max' }),
      {
        'Idempotency-Key': 'bad-input-boundary-check',
      },
    );
    expect(ok.status).toBe(202);
    before += 1;
  });

  it('rejects a domestic customer outside the provinces and an export customer in China', async () => {
    const domestic = await fieldsOf(
      await postJson(
        host(),
        '/complaints',
        validComplaint({ customer: { ...validComplaint().customer, region: 'Atlantis' } }),
      ),
    );
    expect(domestic).toHaveProperty(['customer.region']);
    const exported = await fieldsOf(
      await postJson(
        host(),
        '/complaints',
        validComplaint({
          customer: { ...validComplaint().customer, market: 'export', region: 'CN' },
        }),
      ),
    );
    expect(exported).toHaveProperty(['customer.region']);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await postJson(host(), '/complaints', '{"customer":');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_json');
  });

  it('answers 400 for JSON that is not an object', async () => {
    const fields = await fieldsOf(await postJson(host(), '/complaints', '[1,2,3]'));
    expect(Object.keys(fields)).toEqual(['_']);
  });

  it('answers 415 for another content type', async () => {
    const response = await fetch(`${host().url}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(validComplaint()),
    });
    expect(response.status).toBe(415);
  });

  it('answers 413 for a body over 64 KB', async () => {
    const response = await postJson(
      host(),
      '/complaints',
      validComplaint({ padding: 'x'.repeat(64 * 1024) }),
    );
    expect(response.status).toBe(413);
  });

  it('drops unknown fields instead of storing them', async () => {
    const response = await postJson(
      host(),
      '/complaints',
      validComplaint({
        status: 'closed',
        internalNote: 'should vanish',
        subject: 'unknown fields',
      }),
      { 'Idempotency-Key': 'bad-input-unknown-fields' },
    );
    expect(response.status).toBe(202);
    before += 1;
    const { id } = (await response.json()) as { id: string };
    const stored = (await storedComplaints()).find((item) => item.id === id);
    // Routing may already have moved it on; never to the posted `closed`.
    expect(['received', 'routed']).toContain(stored?.status);
    expect(stored).not.toHaveProperty('internalNote');
  });
});
