/**
 * The case clock at fired times (`host.fire(name, at)`, as `npm run fire -- NAME --at`):
 * overdue first responses remind the owner and the office, overdue resolutions go to the
 * GM, each once; the GM's digest goes once a day; unanswered responses close as "no reply".
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  postJson,
  sentEmails,
  useTestHost,
  validComplaint,
  waitFor,
} from '#test/support/local-host.ts';
import { countByRecipient, waitUntilQueuesIdle } from '#test/support/notifications.ts';
import { addStaff, idTokenOf } from '#test/support/staff.ts';

const host = useTestHost();
let salesToken: string;

beforeAll(async () => {
  await addStaff(host(), { email: 'sales@maker.example', name: '张经营', roles: ['sales'] });
  salesToken = await idTokenOf(host(), 'sales@maker.example');
});

async function api(path: string, body?: unknown) {
  const response = await fetch(`${host().url}/staff/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${salesToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await response.json()) as Record<string, unknown>;
}

async function routedComplaint(email: string) {
  const response = await postJson(
    host(),
    '/complaints',
    validComplaint({ customer: { ...validComplaint().customer, email } }),
  );
  const { reference } = (await response.json()) as { reference: string };
  const detail = await waitFor(async () => {
    const body = await api(`/complaints/${reference}`);
    return body.status === 'routed' ? body : undefined;
  }, 'routing');
  await waitUntilQueuesIdle(host());
  return {
    reference,
    firstResponseDueAt: String(detail.firstResponseDueAt),
    resolutionDueAt: String(detail.resolutionDueAt),
  };
}

const minute = 60_000;
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms);

async function overdueMail(reference: string) {
  await waitUntilQueuesIdle(host());
  return (await sentEmails(host())).filter(
    (email) => email.subject.includes(reference) && email.subject.startsWith('逾期'),
  );
}

describe('sla-escalation', () => {
  it('reminds owner and office when the first response is overdue, the GM at the resolution, each once', async () => {
    const { reference, firstResponseDueAt, resolutionDueAt } =
      await routedComplaint('late@customer.example');

    expect(await host().fire('sla-escalation', plus(firstResponseDueAt, -minute))).toEqual({
      escalated: 0,
    });
    expect(await overdueMail(reference)).toEqual([]);

    expect(await host().fire('sla-escalation', plus(firstResponseDueAt, minute))).toEqual({
      escalated: 1,
    });
    await host().fire('sla-escalation', plus(firstResponseDueAt, 16 * minute));
    const first = await overdueMail(reference);
    expect(countByRecipient(first)).toEqual({ 'sales@example.com': 1, 'office@example.com': 1 });
    expect(first[0]?.body.text).toContain('(Asia/Shanghai)');

    await api(`/complaints/${reference}/actions`, { action: 'accept', version: 0 });
    await host().fire('sla-escalation', plus(resolutionDueAt, minute));
    await host().fire('sla-escalation', plus(resolutionDueAt, 2 * minute));
    expect(countByRecipient(await overdueMail(reference))).toEqual({
      'sales@example.com': 1,
      'office@example.com': 1,
      'gm@example.com': 1,
    });
    const history = (await api(`/complaints/${reference}`)).history as {
      type: string;
      level?: string;
    }[];
    expect(
      history.filter((entry) => entry.type === 'escalated').map((entry) => entry.level),
    ).toEqual(['first_response', 'resolution']);
  });
});

describe('firing a schedule as if at a time (what npm run fire -- NAME --at uses)', () => {
  it('passes the time over HTTP as the schedule input, and refuses one that is no time', async () => {
    const at = '2027-01-10T09:00:00+08:00';
    const fired = await fetch(
      `${host().url}/__local/schedules/sla-escalation?${new URLSearchParams({ at })}`,
      { method: 'POST' },
    );
    expect(fired.status).toBe(200);
    expect(await fired.json()).toEqual({ schedule: 'sla-escalation', result: { escalated: 0 } });
    const bad = await fetch(`${host().url}/__local/schedules/sla-escalation?at=soon`, {
      method: 'POST',
    });
    expect(bad.status).toBe(400);
  });
});

describe('case-daily', () => {
  it('mails the GM the overdue list once a day', async () => {
    const { reference, firstResponseDueAt } = await routedComplaint('digest@customer.example');
    const at = plus(firstResponseDueAt, 10 * minute);
    const first = (await host().fire('case-daily', at)) as { overdue: number; outcome: string };
    expect(first.outcome).toBe('sent');
    expect(first.overdue).toBeGreaterThanOrEqual(1);
    expect(((await host().fire('case-daily', at)) as { outcome: string }).outcome).toBe(
      'already_sent',
    );
    const digests = (await sentEmails(host())).filter((email) =>
      email.subject.startsWith('逾期投诉日报'),
    );
    expect(digests).toHaveLength(1);
    expect(digests[0]?.destination.to).toEqual(['gm@example.com']);
    expect(digests[0]?.body.text).toContain(reference);
  });

  it('closes a response left unanswered for the waiting period as "no reply"', async () => {
    const { reference } = await routedComplaint('silent@customer.example');
    await api(`/complaints/${reference}/actions`, { action: 'accept', version: 0 });
    await api(`/complaints/${reference}/actions`, {
      action: 'propose',
      version: 1,
      remedy: { type: 'repair' },
      response: { text: '我们将上门维修。' },
    });
    expect(
      await api(`/complaints/${reference}/actions`, { action: 'respond', version: 2 }),
    ).toEqual({
      status: 'responded',
      version: 3,
    });
    await host().fire('case-daily', new Date(Date.now() + 13 * 86_400_000));
    expect((await api(`/complaints/${reference}`)).status).toBe('responded');
    await host().fire('case-daily', new Date(Date.now() + 15 * 86_400_000));
    const detail = await api(`/complaints/${reference}`);
    expect(detail).toMatchObject({ status: 'closed', version: 4 });
    expect((detail.history as { type: string }[]).at(-1)?.type).toBe('closed_no_reply');
  });
});
