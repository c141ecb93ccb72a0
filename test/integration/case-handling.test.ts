/**
 * Case handling over real HTTP on the local host: the procedure from routing to the
 * customer's answer, with the emails in the mailbox once each; the version check under
 * concurrency; idempotent retries; roles, statuses and fields refused as the issue says;
 * a crash between the event write and the projections repaired by the next read.
 */
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { getComplaint } from '#functions/data/complaints.ts';
import { keys } from '#functions/data/keys.ts';
import { recordAssignment } from '#functions/data/routing.ts';
import { chinaMonth } from '#functions/domain/register.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { localTableName } from '#infra/local/host.ts';
import {
  postJson,
  type SentEmail,
  sentEmails,
  useTestHost,
  validComplaint,
  waitFor,
} from '#test/support/local-host.ts';
import {
  countByRecipient,
  deadLetterQueueUrl,
  emailsAbout,
  queueDepth,
  sendRawMessage,
  waitUntilQueuesIdle,
} from '#test/support/notifications.ts';
import { addStaff, idTokenOf } from '#test/support/staff.ts';

const host = useTestHost();
const tokens: Record<string, string> = {};

const staff = {
  sales: { email: 'sales.zhang@maker.example', name: '张经营', roles: ['sales' as const] },
  export: { email: 'export.wu@maker.example', name: 'Wu Export', roles: ['export' as const] },
  qc: { email: 'qc.li@maker.example', name: '李质检', roles: ['qc' as const] },
  gm: { email: 'gm.wang@maker.example', name: '王总', roles: ['gm' as const] },
  office: { email: 'office.chen@maker.example', name: '陈办公室', roles: ['office' as const] },
  both: {
    email: 'qc.export@maker.example',
    name: 'Two Hats',
    roles: ['qc' as const, 'export' as const],
  },
};
type Who = keyof typeof staff;

beforeAll(async () => {
  for (const [who, user] of Object.entries(staff)) {
    await addStaff(host(), user);
    tokens[who] = await idTokenOf(host(), user.email);
  }
});

async function api(
  who: Who,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${host().url}/staff/api${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      authorization: `Bearer ${tokens[who]}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const act = (
  who: Who,
  reference: string,
  body: Record<string, unknown>,
  headers?: Record<string, string>,
) => api(who, `/complaints/${reference}/actions`, { body, ...(headers ? { headers } : {}) });

async function postComplaint(overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await postJson(host(), '/complaints', validComplaint(overrides));
  expect(response.status).toBe(202);
  const { reference } = (await response.json()) as { reference: string };
  await waitFor(async () => {
    const detail = await api('gm', `/complaints/${reference}`);
    return detail.body.status === 'routed' ? true : undefined;
  }, `${reference} routed`);
  await waitUntilQueuesIdle(host());
  return reference;
}

async function deadLetterDepth(testHost: ReturnType<typeof host>, queue: 'notification') {
  return queueDepth(await deadLetterQueueUrl(testHost, queue));
}

async function settled(reference: string): Promise<SentEmail[]> {
  await waitUntilQueuesIdle(host());
  return emailsAbout(host(), reference);
}

describe('the procedure from routing to the customer’s answer', () => {
  let reference: string;

  beforeAll(async () => {
    reference = await postComplaint({
      claim: { type: 'compensation', amount: 5000, currency: 'CNY' },
    });
  });

  it('shows the routed complaint with version 0, assignments, due dates and allowed actions', async () => {
    const { status, body } = await api('sales', `/complaints/${reference}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      reference,
      status: 'routed',
      version: 0,
      allowedActions: ['accept', 'note'],
    });
    expect(body.assignments).toEqual(
      expect.arrayContaining([
        { department: 'sales', role: 'owner' },
        { department: 'qc', role: 'root_cause' },
      ]),
    );
    expect(body.firstResponseDueAt).toEqual(expect.any(String));
    // Export is not assigned to a domestic complaint.
    expect((await api('export', `/complaints/${reference}`)).status).toBe(403);
  });

  it('walks accept, investigate, propose compensation, approval and the response, mailing each party once', async () => {
    const before = (await sentEmails(host())).length;
    expect(await act('sales', reference, { action: 'accept', version: 0 })).toEqual({
      status: 200,
      body: { status: 'in_progress', version: 1 },
    });
    expect(
      await act('qc', reference, {
        action: 'investigate',
        version: 1,
        rootCause: '氧化槽温度失控',
        correctiveAction: '加装温控报警',
        trace: { batchNo: '2026-118' },
      }),
    ).toEqual({ status: 200, body: { status: 'in_progress', version: 2 } });
    expect(
      await act('sales', reference, {
        action: 'propose',
        version: 2,
        remedy: { type: 'compensation', amount: 3000, currency: 'CNY' },
        response: { text: '我们将赔偿 3000 元并更换型材。' },
      }),
    ).toEqual({ status: 200, body: { status: 'awaiting_approval', version: 3 } });
    // Sales cannot respond before the GM approves.
    const early = await act('sales', reference, { action: 'respond', version: 3 });
    expect(early.status).toBe(422);
    expect(early.body.allowed).toEqual(['note']);
    expect((await act('sales', reference, { action: 'approve', version: 3 })).status).toBe(403);
    expect(await act('gm', reference, { action: 'approve', version: 3, comment: '同意' })).toEqual({
      status: 200,
      body: { status: 'in_progress', version: 4 },
    });
    expect(await act('sales', reference, { action: 'respond', version: 4 })).toEqual({
      status: 200,
      body: { status: 'responded', version: 5 },
    });

    const emails = (await settled(reference)).slice(0);
    const since = (await sentEmails(host()))
      .slice(before)
      .filter((email) => email.subject.includes(reference));
    expect(countByRecipient(since)).toEqual({
      'li.ming@customer.example': 2, // being handled; the response
      'gm@example.com': 1, // approval asked
      'sales@example.com': 1, // approved
    });
    const response = since.find((email) => email.subject.startsWith('我们对您意见的答复'));
    expect(response?.body.text).toContain('赔偿 3000.00 CNY');
    expect(response?.body.text).toMatch(/\/feedback\/[A-Za-z0-9_-]{43}/);
    expect(emails.length).toBeGreaterThan(since.length);
  });

  it('records the whole history with who, when and what', async () => {
    const { body } = await api('office', `/complaints/${reference}`);
    const history = body.history as Record<string, unknown>[];
    expect(history.map((entry) => entry.type)).toEqual([
      'received',
      'routed',
      'accept',
      'investigate',
      'propose',
      'approve',
      'respond',
    ]);
    expect(history[3]).toMatchObject({
      version: 2,
      actor: { email: staff.qc.email, roles: ['qc'] },
      rootCause: '氧化槽温度失控',
      trace: { batchNo: '2026-118' },
    });
    expect(body.version).toBe(5);
  });
  it('takes the customer’s answer once through the link: not satisfied reopens it and alerts owner and GM', async () => {
    const response = (await emailsAbout(host(), reference)).find((email) =>
      email.subject.startsWith('我们对您意见的答复'),
    );
    const link = /(http:\/\/[^\s]+\/feedback\/[A-Za-z0-9_-]{43})/.exec(
      response?.body.text ?? '',
    )?.[1];
    expect(link).toBeDefined();
    const page = await fetch(String(link));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('您对处理结果满意吗');
    const before = (await sentEmails(host())).length;
    const answer = () =>
      fetch(String(link), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ satisfied: 'not_satisfied', comment: '赔偿太少' }).toString(),
      });
    const [first, second] = await Promise.all([answer(), answer()]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect((await fetch(String(link))).status).toBe(409);

    const { body } = await api('sales', `/complaints/${reference}`);
    expect(body).toMatchObject({
      status: 'reopened',
      version: 6,
      allowedActions: ['accept', 'note'],
    });
    const history = body.history as Record<string, unknown>[];
    expect(history.at(-1)).toMatchObject({
      type: 'customer_answer',
      answer: 'not_satisfied',
      comment: '赔偿太少',
      actor: { kind: 'customer' },
    });
    await waitUntilQueuesIdle(host());
    const alerts = (await sentEmails(host()))
      .slice(before)
      .filter((email) => email.subject.includes(reference));
    expect(countByRecipient(alerts)).toEqual({ 'sales@example.com': 1, 'gm@example.com': 1 });
    expect(alerts[0]?.body.text).toContain('赔偿太少');

    // The customer's status page shows the public steps only.
    const status = await fetch(
      `${host().url}/complaints/${reference}?email=${encodeURIComponent(validComplaint().customer.email)}`,
      { headers: { accept: 'application/json' } },
    );
    const timeline = ((await status.json()) as { timeline: { step: string }[] }).timeline;
    expect(timeline.map((entry) => entry.step)).toEqual([
      'received',
      'handling',
      'responded',
      'reopened',
    ]);
    const statusPage = await fetch(
      `${host().url}/complaints/${reference}?email=${encodeURIComponent(validComplaint().customer.email)}`,
      { headers: { accept: 'text/html' } },
    );
    const text = await statusPage.text();
    // The customer's steps in their language: answered, then taken up again.
    expect(text).toContain('已答复，待您确认');
    expect(text).toContain('已重新处理');
    expect(text).not.toContain('氧化槽温度失控');
  });

  it('closes the case when the customer is satisfied', async () => {
    const other = await postComplaint({
      customer: { ...validComplaint().customer, email: 'happy@customer.example' },
    });
    await act('sales', other, { action: 'accept', version: 0 });
    await act('sales', other, {
      action: 'propose',
      version: 1,
      remedy: { type: 'exchange' },
      response: { text: '我们将为您换货。' },
    });
    expect(await act('sales', other, { action: 'respond', version: 2 })).toMatchObject({
      status: 200,
    });
    await waitUntilQueuesIdle(host());
    const mail = (await emailsAbout(host(), other)).find((email) =>
      email.subject.startsWith('我们对您意见的答复'),
    );
    const link = /(http:\/\/[^\s]+\/feedback\/[A-Za-z0-9_-]{43})/.exec(mail?.body.text ?? '')?.[1];
    const done = await fetch(String(link), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ satisfied: 'satisfied' }),
    });
    expect(await done.json()).toEqual({ status: 'closed' });
    expect((await api('sales', `/complaints/${other}`)).body).toMatchObject({
      status: 'closed',
      version: 4,
    });
    expect((await fetch(`${host().url}/feedback/${'A'.repeat(43)}`)).status).toBe(404);
  });
});

describe('two staff on one version', () => {
  it('answers one 200 and one 409, and records one event', async () => {
    const reference = await postComplaint();
    const [a, b] = await Promise.all([
      act('sales', reference, { action: 'accept', version: 0 }),
      act('gm', reference, { action: 'note', version: 0, text: '请尽快处理' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const stale = a.status === 409 ? a : b;
    expect(stale.body).toMatchObject({ error: 'stale_version', version: 1 });
    const { body } = await api('gm', `/complaints/${reference}`);
    expect(body.version).toBe(1);
    expect((body.history as unknown[]).length).toBe(3);
  });
});

describe('refusals', () => {
  let reference: string;
  beforeAll(async () => {
    reference = await postComplaint();
  });

  it('names the bad fields (400), the allowed actions (422) and refuses a role (403)', async () => {
    const bad = await act('sales', reference, { action: 'close', version: 0 });
    expect(bad).toMatchObject({ status: 400, body: { fields: { reason: expect.any(String) } } });
    const early = await act('sales', reference, { action: 'respond', version: 0 });
    expect(early).toMatchObject({ status: 422, body: { allowed: ['accept', 'note'] } });
    expect((await act('qc', reference, { action: 'accept', version: 0 })).status).toBe(403);
    expect((await act('export', reference, { action: 'note', version: 0, text: 'x' })).status).toBe(
      403,
    );
    expect((await api('gm', '/complaints/FB-2026-999999')).status).toBe(404);
  });

  it('answers a retried request with its Idempotency-Key with the first answer, acting once', async () => {
    const headers = { 'idempotency-key': 'retry-accept-0001' };
    const first = await act('sales', reference, { action: 'accept', version: 0 }, headers);
    const again = await act('sales', reference, { action: 'accept', version: 0 }, headers);
    expect(first).toEqual({ status: 200, body: { status: 'in_progress', version: 1 } });
    expect(again).toEqual(first);
    const other = await act('sales', reference, { action: 'note', version: 0, text: 'x' }, headers);
    expect(other.status).toBe(422);
    await waitUntilQueuesIdle(host());
    const handling = (await emailsAbout(host(), reference)).filter((email) =>
      email.subject.startsWith('您的意见正在处理中'),
    );
    expect(handling).toHaveLength(1);
  });
});

describe('a crash between the event and the projections', () => {
  it('is repaired by the next read: the complaint, its queue entries and its email catch up', async () => {
    const reference = await postComplaint({
      customer: { ...validComplaint().customer, email: 'crash@customer.example' },
    });
    const { body } = await api('gm', `/complaints/${reference}`);
    const id = String(body.id);
    expect((await act('sales', reference, { action: 'accept', version: 0 })).status).toBe(200);
    await waitUntilQueuesIdle(host());
    // Undo the projection as if the process had died right after the event write.
    await documentClient().send(
      new UpdateCommand({
        TableName: localTableName,
        Key: keys.complaint(id),
        UpdateExpression: 'SET #status = :routed REMOVE version, firstResponseAt, notifiedVersion',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':routed': 'routed' },
      }),
    );
    await documentClient().send(
      new UpdateCommand({
        TableName: localTableName,
        Key: keys.assignment(id, 'sales'),
        UpdateExpression: 'SET #status = :routed, departmentStatusKey = :key REMOVE version',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':routed': 'routed', ':key': 'DEPT#sales#routed' },
      }),
    );
    const listed = async (status: string) =>
      (
        (await api('sales', `/complaints?status=${status}`)).body.items as { reference: string }[]
      ).some((item) => item.reference === reference);
    expect(await listed('routed')).toBe(true);

    const repaired = await api('sales', `/complaints/${reference}`);
    expect(repaired.body).toMatchObject({ status: 'in_progress', version: 1 });
    expect(await listed('routed')).toBe(false);
    expect(await listed('in_progress')).toBe(true);
    // The email is queued again and still sent once.
    await waitUntilQueuesIdle(host());
    expect(countByRecipient(await emailsAbout(host(), reference))['crash@customer.example']).toBe(
      2,
    );
    // And the next action goes on from there.
    expect(
      (await act('sales', reference, { action: 'note', version: 1, text: '已联系客户' })).status,
    ).toBe(200);
  });
});

describe('an action between the routing decision and its assignments', () => {
  it('leaves the late assignment at the action’s state, not at routed', async () => {
    const reference = await postComplaint({
      customer: { ...validComplaint().customer, email: 'race@customer.example' },
    });
    const id = String((await api('gm', `/complaints/${reference}`)).body.id);
    // As if routing had recorded its decision but not yet this assignment.
    await documentClient().send(
      new DeleteCommand({ TableName: localTableName, Key: keys.assignment(id, 'sales') }),
    );
    expect((await act('sales', reference, { action: 'accept', version: 0 })).status).toBe(200);
    // The routing message is redelivered and writes the missing assignment.
    await sendRawMessage(host(), 'routing', { complaintId: id });
    await waitUntilQueuesIdle(host());
    const listed = async (status: string) =>
      (
        (await api('sales', `/complaints?status=${status}`)).body.items as { reference: string }[]
      ).some((item) => item.reference === reference);
    expect(await listed('in_progress')).toBe(true);
    expect(await listed('routed')).toBe(false);
  });
});

describe('the queue and complaints keyed in by staff', () => {
  it('lists by department for a department user and everything for the GM, newest first', async () => {
    const exportRef = await postComplaint({
      customer: {
        ...validComplaint().customer,
        market: 'export',
        region: 'DE',
        email: 'hans@customer.example',
      },
      category: 'delivery',
      claim: undefined,
    });
    const mine = (await api('export', '/complaints')).body.items as { reference: string }[];
    expect(mine.map((item) => item.reference)).toEqual([exportRef]);
    const all = (await api('gm', '/complaints?limit=2')).body;
    expect((all.items as { reference: string }[])[0]?.reference).toBe(exportRef);
    expect(all.nextCursor).toEqual(expect.any(String));
    const next = (
      await api('gm', `/complaints?limit=2&cursor=${encodeURIComponent(String(all.nextCursor))}`)
    ).body;
    const seen = [
      ...(all.items as { reference: string }[]),
      ...(next.items as { reference: string }[]),
    ];
    expect(new Set(seen.map((item) => item.reference)).size).toBe(seen.length);
    expect((await api('qc', '/complaints?department=export')).status).toBe(403);
  });

  it('pages through the merged departments and statuses without loss or repeat', async () => {
    for (const who of ['gm', 'both', 'sales'] as const) {
      const all = (await api(who, '/complaints?limit=100')).body.items as { reference: string }[];
      const paged: string[] = [];
      let cursor: unknown = null;
      do {
        const query = `limit=2${cursor ? `&cursor=${encodeURIComponent(String(cursor))}` : ''}`;
        const page = (await api(who, `/complaints?${query}`)).body;
        paged.push(...(page.items as { reference: string }[]).map((item) => item.reference));
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged, who).toEqual(all.map((item) => item.reference));
      expect(all.length, who).toBeGreaterThan(2);
    }
  });

  it('takes a complaint phoned in through the same intake: a reference, routing, acknowledgement', async () => {
    const receivedAt = new Date(Date.now() - 3_600_000).toISOString();
    const keyed = await api('office', '/complaints', {
      body: {
        ...validComplaint({
          customer: { ...validComplaint().customer, email: 'phone@customer.example' },
        }),
        channel: 'phone',
        receivedAt,
      },
    });
    expect(keyed.status).toBe(202);
    const reference = String(keyed.body.reference);
    expect(reference).toMatch(/^FB-\d{4}-\d{6}$/);
    await waitFor(
      async () =>
        (await api('gm', `/complaints/${reference}`)).body.status === 'routed' ? true : undefined,
      'routed',
    );
    const { body } = await api('gm', `/complaints/${reference}`);
    expect(body.complaint).toMatchObject({ channel: 'phone', receivedAt });
    await waitUntilQueuesIdle(host());
    expect(countByRecipient(await emailsAbout(host(), reference))['phone@customer.example']).toBe(
      1,
    );
    const refused = await api('office', '/complaints', {
      body: { ...validComplaint(), channel: 'web' },
    });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.fields as object).sort()).toEqual(['channel', 'receivedAt']);
    expect((await api('qc', '/complaints', { body: validComplaint() })).status).toBe(403);
  });

  it('takes a letter from a customer with no email address: routed, no acknowledgement, handled', async () => {
    const { email: _none, ...customer } = {
      ...validComplaint().customer,
      name: '无邮箱客户',
      phone: '+86 20 8888 0000',
    };
    const keyed = await api('sales', '/complaints', {
      body: {
        ...validComplaint({ customer }),
        channel: 'letter',
        receivedAt: new Date().toISOString(),
      },
    });
    expect(keyed.status).toBe(202);
    const reference = String(keyed.body.reference);
    await waitFor(
      async () =>
        (await api('gm', `/complaints/${reference}`)).body.status === 'routed' ? true : undefined,
      'routed',
    );
    expect(await act('sales', reference, { action: 'accept', version: 0 })).toEqual({
      status: 200,
      body: { status: 'in_progress', version: 1 },
    });
    await waitUntilQueuesIdle(host());
    const mails = await emailsAbout(host(), reference);
    // The departments are alerted; nobody writes to the customer.
    expect(mails.length).toBeGreaterThan(0);
    expect(
      mails.every((mail) => mail.destination.to.every((to) => to.endsWith('@example.com'))),
    ).toBe(true);
    expect(await deadLetterDepth(host(), 'notification')).toBe(0);
  });
});

describe('the GM’s queue row', () => {
  interface QueueItem {
    reference: string;
    status: string;
    severity: string;
    dueAt?: string;
    departments: string[];
  }
  const rowsOf = async (who: Who, reference: string, status?: string) =>
    (
      (await api(who, `/complaints?limit=100${status ? `&status=${status}` : ''}`)).body
        .items as QueueItem[]
    ).filter((item) => item.reference === reference);
  const registerRow = async (id: string) => {
    const complaint = await getComplaint(id);
    const receivedAt = complaint?.receivedAt ?? String(complaint?.createdAt);
    const key = keys.registerRow(chinaMonth(receivedAt), receivedAt, id);
    return (
      await documentClient().send(
        new GetCommand({ TableName: localTableName, Key: key, ConsistentRead: true }),
      )
    ).Item;
  };
  const gmItem = async (id: string) =>
    (
      await documentClient().send(
        new GetCommand({
          TableName: localTableName,
          Key: keys.assignment(id, 'gm'),
          ConsistentRead: true,
        }),
      )
    ).Item;

  it('is the register row: it follows the complaint through its statuses, once in the GM’s and the office’s queue', async () => {
    const reference = await postComplaint({
      customer: { ...validComplaint().customer, email: 'gm-row@customer.example' },
    });
    const detail = (await api('gm', `/complaints/${reference}`)).body;
    const id = String(detail.id);
    // The GM is still among the departments told, with its role, though it has no item.
    expect(detail.assignments).toContainEqual({ department: 'gm', role: 'informed' });
    expect(await gmItem(id)).toBeUndefined();
    const steps: [string, Record<string, unknown> | undefined][] = [
      ['routed', undefined],
      ['in_progress', { action: 'accept', version: 0 }],
      [
        'in_progress',
        {
          action: 'propose',
          version: 1,
          remedy: { type: 'exchange' },
          response: { text: '我们将为您换货。' },
        },
      ],
      ['responded', { action: 'respond', version: 2 }],
      ['closed', { action: 'close', version: 3, reason: '已换货' }],
    ];
    let previous: string | undefined;
    for (const [status, action] of steps) {
      if (action) expect((await act('sales', reference, action)).status).toBe(200);
      for (const who of ['gm', 'office'] as const) {
        const rows = await rowsOf(who, reference);
        expect(rows, `${who} at ${status}`).toEqual([
          expect.objectContaining({ status, severity: detail.severity, departments: ['gm'] }),
        ]);
        expect(await rowsOf(who, reference, status)).toHaveLength(1);
        if (previous && previous !== status) {
          expect(await rowsOf(who, reference, previous)).toHaveLength(0);
        }
      }
      const row = (await rowsOf('gm', reference))[0];
      // The next deadline while open: the first response, then the resolution; none after.
      expect(row?.dueAt).toBe(
        status === 'routed'
          ? detail.firstResponseDueAt
          : status === 'in_progress'
            ? detail.resolutionDueAt
            : undefined,
      );
      expect(await registerRow(id)).toMatchObject({ departmentStatusKey: `DEPT#gm#${status}` });
      previous = status;
    }
    expect(await gmItem(id)).toBeUndefined();
    // The owner's own queue still follows its assignment item.
    expect(await rowsOf('sales', reference, 'closed')).toHaveLength(1);
  });

  it('stays the GM assignment item for a complaint routed before: listed once, still moved', async () => {
    const reference = await postComplaint({
      customer: { ...validComplaint().customer, email: 'gm-item@customer.example' },
    });
    const id = String((await api('gm', `/complaints/${reference}`)).body.id);
    // As routing left it before the register row was the GM's row: a GM assignment item, no
    // mark on the complaint, a register row outside the index.
    await documentClient().send(
      new UpdateCommand({
        TableName: localTableName,
        Key: keys.complaint(id),
        UpdateExpression: 'REMOVE gmQueueOnRegisterRow',
      }),
    );
    const complaint = await getComplaint(id);
    const { routing, assessment } = complaint ?? {};
    const gm = routing?.assignments.find((assignment) => assignment.department === 'gm');
    if (!complaint || !routing || !assessment || !gm) throw new Error('not routed');
    expect(await recordAssignment(complaint, gm, routing, assessment)).toBe(true);
    const row = await registerRow(id);
    await documentClient().send(
      new UpdateCommand({
        TableName: localTableName,
        Key: { pk: row?.pk, sk: row?.sk },
        UpdateExpression: 'REMOVE departmentStatusKey, departmentSort, severity, nextDueAt',
      }),
    );
    expect(await rowsOf('gm', reference)).toEqual([
      expect.objectContaining({ status: 'routed', departments: ['gm'] }),
    ]);

    expect((await act('sales', reference, { action: 'accept', version: 0 })).status).toBe(200);
    expect(await rowsOf('gm', reference)).toEqual([
      expect.objectContaining({ status: 'in_progress', departments: ['gm'] }),
    ]);
    expect(await gmItem(id)).toMatchObject({ departmentStatusKey: 'DEPT#gm#in_progress' });
    // The register row is written again, and stays out of the GM's partitions.
    expect(await registerRow(id)).toMatchObject({ status: 'in_progress' });
    expect(await registerRow(id)).not.toHaveProperty('departmentStatusKey');
  });
});
