/** Retried posts return the first answer and create nothing new, also when they race. */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  draftFromSubmission,
  parseComplaintSubmission,
} from '#functions/contract/complaint-submission.ts';
import { allocateReference, createComplaint, getComplaint } from '#functions/data/complaints.ts';
import { fingerprintAttribute } from '#functions/data/idempotency.ts';
import { keys } from '#functions/data/keys.ts';
import { complaintIdForKey, fingerprint } from '#functions/services/intake.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { localTableName } from '#infra/local/host.ts';
import {
  postForm,
  postJson,
  useTestHost,
  validComplaint,
  waitFor,
} from '#test/support/local-host.ts';
import { storedComplaint, storedComplaints } from '#test/support/table.ts';

const host = useTestHost();

const count = async () => (await storedComplaints()).length;

/** The form as a British buyer fills it in, with the page's own key. */
const exportForm = (complaint: { category: string; subject: string; description: string }) => ({
  idempotencyKey: randomUUID(),
  'customer.name': 'Tom Baker',
  'customer.email': 'tom@buyer.example',
  'customer.market': 'export',
  'customer.region': 'GB',
  ...complaint,
});

describe('Idempotency-Key', () => {
  it('returns the first answer to a retry with the same header', async () => {
    const key = randomUUID();
    const before = await count();
    const first = await postJson(host(), '/complaints', validComplaint(), {
      'Idempotency-Key': key,
    });
    const retry = await postJson(host(), '/complaints', validComplaint(), {
      'Idempotency-Key': key,
    });
    expect(first.status).toBe(202);
    expect(retry.status).toBe(202);
    expect(await retry.json()).toEqual(await first.json());
    expect(await count()).toBe(before + 1);
  });

  it('accepts the key as a field and treats it like the header', async () => {
    const key = randomUUID();
    const before = await count();
    const asField = await postJson(host(), '/complaints', validComplaint({ idempotencyKey: key }));
    const asHeader = await postJson(host(), '/complaints', validComplaint(), {
      'Idempotency-Key': key,
    });
    expect(await asHeader.json()).toEqual(await asField.json());
    expect(await count()).toBe(before + 1);
  });

  it('creates exactly one complaint for 10 concurrent retries, all answered alike', async () => {
    const key = randomUUID();
    const before = await count();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        postJson(host(), '/complaints', validComplaint(), { 'Idempotency-Key': key }),
      ),
    );
    const bodies = await Promise.all(responses.map((response) => response.json()));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(202));
    expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
    expect(await count()).toBe(before + 1);
  });

  it('refuses the same key with a different complaint', async () => {
    const key = randomUUID();
    await postJson(host(), '/complaints', validComplaint(), { 'Idempotency-Key': key });
    const before = await count();
    const other = await postJson(host(), '/complaints', validComplaint({ subject: '另一件事' }), {
      'Idempotency-Key': key,
    });
    expect(other.status).toBe(422);
    expect(await count()).toBe(before);
  });

  it('makes a resubmitted form (double click) one complaint', async () => {
    const fields = exportForm({
      category: 'service',
      subject: 'No reply to our fax',
      description: 'We sent a fax on 3 November and heard nothing back.',
    });
    const before = await count();
    const first = await postForm(host(), '/complaints', fields);
    const second = await postForm(host(), '/complaints', fields);
    expect(first.status).toBe(303);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(await count()).toBe(before + 1);
  });

  it('gives a form edited after Back its page again, with a fresh key, instead of an error', async () => {
    const fields = exportForm({
      category: 'delivery',
      subject: 'First shipment late',
      description: 'The first shipment is two weeks late.',
    });
    expect((await postForm(host(), '/complaints', fields)).status).toBe(303);
    const before = await count();
    const edited = await postForm(host(), '/complaints', {
      ...fields,
      subject: 'Second shipment late',
    });
    expect(edited.status).toBe(422);
    const page = await edited.text();
    expect(page).toContain('此表单已提交过');
    expect(page).toContain('value="Second shipment late"');
    const freshKey = /name="idempotencyKey" value="([^"]+)"/.exec(page)?.[1];
    expect(freshKey).toBeDefined();
    expect(freshKey).not.toBe(fields.idempotencyKey);
    expect(await count()).toBe(before);
    const resent = await postForm(host(), '/complaints', {
      ...fields,
      subject: 'Second shipment late',
      idempotencyKey: freshKey as string,
    });
    expect(resent.status).toBe(303);
    expect(await count()).toBe(before + 1);
  });

  it('completes a request that died between its description and its complaint, and refuses the key to another', async () => {
    const key = randomUUID();
    const parsed = parseComplaintSubmission(validComplaint({ subject: 'died between writes' }));
    if (!parsed.ok) throw new Error('fixture does not parse');
    const draft = draftFromSubmission(parsed.value);
    const complaintId = complaintIdForKey(key);
    // The first request wrote the description item its key names, then died.
    await documentClient().send(
      new PutCommand({
        TableName: localTableName,
        Item: {
          ...keys.complaintDescription(complaintId),
          description: draft.description,
          [fingerprintAttribute]: fingerprint(draft),
        },
      }),
    );
    const other = await postJson(host(), '/complaints', validComplaint({ subject: 'another' }), {
      'Idempotency-Key': key,
    });
    expect(other.status).toBe(422);
    expect(await storedComplaint(complaintId)).toBeUndefined();

    const retry = await postJson(
      host(),
      '/complaints',
      validComplaint({ subject: 'died between writes' }),
      { 'Idempotency-Key': key },
    );
    expect(retry.status).toBe(202);
    expect(await retry.json()).toMatchObject({ id: complaintId });
    expect(await getComplaint(complaintId)).toMatchObject({
      subject: 'died between writes',
      description: draft.description,
    });
  });

  it('leaves a complaint stored with its description inline as it is when its key comes again', async () => {
    const key = randomUUID();
    const parsed = parseComplaintSubmission(validComplaint({ subject: 'stored inline' }));
    if (!parsed.ok) throw new Error('fixture does not parse');
    const draft = draftFromSubmission(parsed.value);
    const complaintId = complaintIdForKey(key);
    const createdAt = new Date().toISOString();
    // As complaints were stored before descriptions had an item of their own.
    await documentClient().send(
      new PutCommand({
        TableName: localTableName,
        Item: {
          ...keys.complaint(complaintId),
          ...draft,
          id: complaintId,
          reference: 'FB-2025-000042',
          status: 'routed',
          createdAt,
          updatedAt: createdAt,
          enqueuedAt: createdAt,
          [fingerprintAttribute]: fingerprint(draft),
        },
      }),
    );
    const other = await postJson(host(), '/complaints', validComplaint({ description: 'other' }), {
      'Idempotency-Key': key,
    });
    expect(other.status).toBe(422);
    const same = await postJson(
      host(),
      '/complaints',
      validComplaint({ subject: 'stored inline' }),
      {
        'Idempotency-Key': key,
      },
    );
    expect(same.status).toBe(202);
    expect(await getComplaint(complaintId)).toMatchObject({ description: draft.description });
    const description = await documentClient().send(
      new GetCommand({
        TableName: localTableName,
        Key: keys.complaintDescription(complaintId),
        ConsistentRead: true,
      }),
    );
    expect(description.Item).toBeUndefined();
  });

  it('finishes the complaint of a request that died after writing it, when the client retries', async () => {
    const key = randomUUID();
    const parsed = parseComplaintSubmission(validComplaint({ subject: 'crashed half-way' }));
    if (!parsed.ok) throw new Error('fixture does not parse');
    const draft = draftFromSubmission(parsed.value);
    const complaintId = complaintIdForKey(key);
    const longAgo = new Date(Date.now() - 5 * 60_000);
    // The first request wrote the complaint its key names, then died before enqueueing.
    const reference = await allocateReference(longAgo.getFullYear());
    await createComplaint(
      { id: complaintId, draft, createdAt: longAgo.toISOString(), fingerprint: fingerprint(draft) },
      Promise.resolve({ reference, acknowledgementWithheld: false }),
    );
    const before = await count();

    const retry = await postJson(
      host(),
      '/complaints',
      validComplaint({ subject: 'crashed half-way' }),
      {
        'Idempotency-Key': key,
      },
    );
    expect(retry.status).toBe(202);
    expect(await retry.json()).toMatchObject({ id: complaintId, reference });
    expect(await count()).toBe(before);
    await waitFor(
      async () => ((await storedComplaint(complaintId))?.enqueuedAt ? true : undefined),
      'the enqueue',
    );
  });

  it('rejects a malformed key with a field message and stores nothing', async () => {
    const before = await count();
    const response = await postJson(host(), '/complaints', validComplaint(), {
      'Idempotency-Key': 'x',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { fields: Record<string, string> };
    expect(Object.keys(body.fields)).toEqual(['idempotencyKey']);
    expect(await count()).toBe(before);
  });
});
