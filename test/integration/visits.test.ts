/**
 * On-site visits (issue 15), against the real stand-ins: the owner schedules a visit on an
 * on-site service complaint; the customer (with the calendar file) and the outlet (with its
 * report link) are mailed once each; the link's GET shows the form and changes nothing, its
 * POST records the report, a second POST is refused; the complaint's history shows both; an
 * unreported visit reminds the outlet and the owner once (`case-daily`, fired).
 */
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { indexKeys, keys } from '#functions/data/keys.ts';
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
  complaintPartition,
  countByRecipient,
  waitUntilQueuesIdle,
} from '#test/support/notifications.ts';
import { addStaff, hiddenField, idTokenOf, request, signIn } from '#test/support/staff.ts';

const host = useTestHost();
let salesToken: string;
let qcToken: string;
const outletAddress = 'outlet-south-china@example.com';
const customerAddress = 'visit.customer@customer.example';

beforeAll(async () => {
  await addStaff(host(), { email: 'sales@maker.example', name: '张经营', roles: ['sales'] });
  await addStaff(host(), { email: 'qc@maker.example', name: '王质检', roles: ['qc'] });
  salesToken = await idTokenOf(host(), 'sales@maker.example');
  qcToken = await idTokenOf(host(), 'qc@maker.example');
});

async function api(path: string, body?: unknown, token = salesToken) {
  const response = await fetch(`${host().url}/staff/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function routedComplaint(category: string) {
  const response = await postJson(
    host(),
    '/complaints',
    validComplaint({
      category,
      customer: { ...validComplaint().customer, email: customerAddress },
    }),
  );
  const { reference } = (await response.json()) as { reference: string };
  await waitFor(async () => {
    const detail = await api(`/complaints/${reference}`);
    return detail.body.status === 'routed' ? detail : undefined;
  }, 'routing');
  await waitUntilQueuesIdle(host());
  return reference;
}

const visit = {
  // A Monday; 09:00–12:00 China time is 01:00–04:00 UTC.
  date: '2027-01-11',
  from: '09:00',
  to: '12:00',
  assignee: 'outlet',
  address: '广州市白云区工业路 8 号 2 号厂房',
  contactName: '陈工',
  contactPhone: '+86 20 8888 0000',
};

async function mailsAbout(reference: string): Promise<SentEmail[]> {
  await waitUntilQueuesIdle(host());
  return (await sentEmails(host())).filter((email) => email.subject.includes(reference));
}

function history(detail: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(detail.history) ? detail.history : [];
}

describe('on-site visits', () => {
  it('schedules a visit, mails customer and outlet once each, and takes the outlet’s report once', async () => {
    const reference = await routedComplaint('onsite_service');
    const before = await mailsAbout(reference);

    // Only the owner (or the GM) schedules; the form is checked.
    expect((await api(`/complaints/${reference}/visits`, visit, qcToken)).status).toBe(403);
    expect((await api(`/complaints/${reference}/visits`, { ...visit, from: '9am' })).status).toBe(
      400,
    );
    const scheduled = await api(`/complaints/${reference}/visits`, visit);
    expect(scheduled.status).toBe(201);
    expect(scheduled.body).toMatchObject({
      startsAt: '2027-01-11T01:00:00.000Z',
      endsAt: '2027-01-11T04:00:00.000Z',
    });

    const mails = (await mailsAbout(reference)).slice(before.length);
    expect(countByRecipient(mails)).toEqual({ [customerAddress]: 1, [outletAddress]: 1 });
    const customerMail = mails.find((mail) => mail.destination.to.includes(customerAddress));
    const outletMail = mails.find((mail) => mail.destination.to.includes(outletAddress));
    expect(customerMail?.subject).toContain('上门服务预约');
    expect(customerMail?.body.text).toContain('2027-01-11 09:00–12:00 (Asia/Shanghai)');
    expect(outletMail?.body.text).toContain(visit.address);
    expect(outletMail?.body.text).toContain(validComplaint().subject);

    // The customer's calendar file.
    const calendarLink = /(http:\/\/\S+\/visit\/[A-Za-z0-9_-]{43}\/ics)/.exec(
      customerMail?.body.text ?? '',
    )?.[1];
    expect(calendarLink).toBeDefined();
    const calendar = await fetch(String(calendarLink));
    expect(calendar.status).toBe(200);
    expect(calendar.headers.get('content-type')).toContain('text/calendar');
    const ics = await calendar.text();
    expect(ics).toContain('BEGIN:VEVENT\r\n');
    expect(ics).toContain('DTSTART:20270111T010000Z\r\n');
    expect(ics).toContain('DTEND:20270111T040000Z\r\n');

    // The outlet's report link: GET shows the form and records nothing.
    const reportLink = /(http:\/\/\S+\/visit\/[A-Za-z0-9_-]{43})(?:\s|$)/.exec(
      outletMail?.body.text ?? '',
    )?.[1];
    expect(reportLink).toBeDefined();
    const form = await fetch(String(reportLink));
    expect(form.status).toBe(200);
    const page = await form.text();
    expect(page).toContain('上门服务报告 / Visit report');
    expect(page).toContain(reference);
    const unchanged = await api(`/complaints/${reference}`);
    expect(history(unchanged.body).map((entry) => entry.type)).not.toContain('visit_reported');

    // The calendar link is not a report link.
    expect((await fetch(String(calendarLink).replace(/\/ics$/, ''))).status).toBe(404);

    const report = new URLSearchParams({
      arrivedAt: '2027-01-11T09:20',
      departedAt: '2027-01-11T11:40',
      findings: '门窗密封条老化',
      workDone: '更换密封条，调整五金件',
      parts: '密封条 12 米',
      confirmedBy: '陈工',
    });
    const posted = await fetch(String(reportLink), { method: 'POST', body: report });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain('报告已收到');

    const again = await fetch(String(reportLink), { method: 'POST', body: report });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('已经记录');
    expect((await fetch(String(reportLink))).status).toBe(409);

    const detail = await api(`/complaints/${reference}`);
    const entries = history(detail.body);
    const scheduledEntry = entries.find((entry) => entry.type === 'visit_scheduled');
    expect(scheduledEntry).toMatchObject({
      actor: { email: 'sales@maker.example', name: '张经营' },
      visitor: 'south-china',
      site: visit.address,
    });
    const reported = entries.filter((entry) => entry.type === 'visit_reported');
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({
      arrivedAt: '2027-01-11T01:20:00.000Z',
      departedAt: '2027-01-11T03:40:00.000Z',
      findings: '门窗密封条老化',
      confirmedBy: '陈工',
    });

    // The register's row carries the visit and its finding.
    const register = await api('/register');
    const rows = register.body.items as { reference: string; visits?: string }[];
    expect(rows.find((row) => row.reference === reference)?.visits).toContain('门窗密封条老化');

    // The customer's page lists the visit with its report (sales may read customers).
    const customerPage = await (
      await fetch(`${host().url}/staff/customers/${encodeURIComponent(customerAddress)}`, {
        headers: { authorization: `Bearer ${salesToken}` },
      })
    ).text();
    expect(customerPage).toContain('上门服务');
    expect(customerPage).toContain('门窗密封条老化');
    expect(customerPage).toContain('陈工');

    // No reminder for a reported visit.
    const fired = (await host().fire('case-daily', new Date('2027-01-14T00:30:00Z'))) as {
      visitsReminded: number;
    };
    expect(fired.visitsReminded).toBe(0);
  });

  it('refuses visits on complaints that are not on-site service or technical support', async () => {
    const reference = await routedComplaint('quality');
    expect((await api(`/complaints/${reference}/visits`, visit)).status).toBe(422);
  });

  it('reminds the outlet and the owner once when a visit is still unreported a working day after it', async () => {
    const reference = await routedComplaint('technical_support');
    // Friday 2027-01-15, 14:00–16:00 China time: the report is due by Monday 16:00.
    const scheduled = await api(`/complaints/${reference}/visits`, {
      ...visit,
      date: '2027-01-15',
      from: '14:00',
      to: '16:00',
    });
    expect(scheduled.status).toBe(201);
    const before = (await mailsAbout(reference)).length;

    const early = (await host().fire('case-daily', new Date('2027-01-18T00:30:00Z'))) as {
      visitsReminded: number;
    };
    expect(early.visitsReminded).toBe(0);
    expect((await mailsAbout(reference)).length).toBe(before);

    const due = (await host().fire('case-daily', new Date('2027-01-19T00:30:00Z'))) as {
      visitsReminded: number;
    };
    expect(due.visitsReminded).toBe(1);
    const later = (await host().fire('case-daily', new Date('2027-01-20T00:30:00Z'))) as {
      visitsReminded: number;
    };
    expect(later.visitsReminded).toBe(0);

    const reminders = (await mailsAbout(reference)).slice(before);
    expect(countByRecipient(reminders)).toEqual({ [outletAddress]: 1, 'sales@example.com': 1 });
    expect(
      reminders.find((mail) => mail.destination.to.includes(outletAddress))?.subject,
    ).toContain('请提交上门服务报告');
    const detail = await api(`/complaints/${reference}`);
    expect(history(detail.body).map((entry) => entry.type)).toContain('visit_reminded');
  });

  it('schedules from the console case page (owner only sees the form), and the timeline shows it', async () => {
    const reference = await routedComplaint('onsite_service');
    const qc = await signIn(host(), 'qc@maker.example');
    const qcPage = await (
      await request(host(), `/staff/complaints/${reference}`, { jar: qc.jar })
    ).text();
    expect(qcPage).not.toContain(`/complaints/${reference}/visits`);

    const { jar } = await signIn(host(), 'sales@maker.example');
    const page = await (await request(host(), `/staff/complaints/${reference}`, { jar })).text();
    expect(page).toContain(`/complaints/${reference}/visits`);
    const form = {
      csrf: hiddenField(page, 'csrf'),
      idempotencyKey: hiddenField(page, 'idempotencyKey'),
      date: '2027-02-01',
      from: '13:00',
      to: '15:00',
      assignee: 'technician',
      technicianName: '刘师傅',
      technicianEmail: 'liu.tech@maker.example',
      address: '广州市天河区 1 号',
      contactName: '陈工',
    };
    // A double click: the form's own key makes the second post the same visit.
    const posts = await Promise.all(
      [1, 2].map(() => request(host(), `/staff/complaints/${reference}/visits`, { jar, form })),
    );
    for (const posted of posts) {
      expect(posted.status).toBe(303);
      expect(posted.headers.get('location')).toContain('done=visit_scheduled');
    }
    const after = await (await request(host(), `/staff/complaints/${reference}`, { jar })).text();
    expect(after).toContain('安排上门服务');
    expect(after).toContain('刘师傅');
    const mails = await mailsAbout(reference);
    expect(countByRecipient(mails)['liu.tech@maker.example']).toBe(1);
    const { body } = await api(`/complaints/${reference}`);
    expect(history(body).filter((entry) => entry.type === 'visit_scheduled')).toHaveLength(1);
  });

  it('answers a retried API request with its Idempotency-Key with the same visit, and refuses the key for another', async () => {
    const reference = await routedComplaint('onsite_service');
    const before = await mailsAbout(reference);
    const post = (body: unknown) =>
      fetch(`${host().url}/staff/api/complaints/${reference}/visits`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${salesToken}`,
          'content-type': 'application/json',
          'idempotency-key': 'visit-retry-0001',
        },
        body: JSON.stringify(body),
      });
    const first = await post(visit);
    const retried = await post(visit);
    expect([first.status, retried.status]).toEqual([201, 201]);
    const scheduled = (await first.json()) as { visitId: string };
    expect(await retried.json()).toEqual(scheduled);
    const other = await post({ ...visit, date: '2027-01-12' });
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ error: 'idempotency_key_reused' });
    const mails = (await mailsAbout(reference)).slice(before.length);
    expect(countByRecipient(mails)).toEqual({ [customerAddress]: 1, [outletAddress]: 1 });
    const { body } = await api(`/complaints/${reference}`);
    expect(history(body).filter((entry) => entry.type === 'visit_scheduled')).toHaveLength(1);
  });

  it('queues the scheduling mails from case-daily when a crash left them unqueued, once', async () => {
    const reference = await routedComplaint('onsite_service');
    expect((await api(`/complaints/${reference}/visits`, visit)).status).toBe(201);
    const detail = await api(`/complaints/${reference}`);
    const id = String(detail.body.id);
    const stored = (await complaintPartition(id)).find((item) =>
      String(item.sk).startsWith('VISIT#'),
    );
    expect(stored).toBeDefined();
    expect(stored?.notifiedAt).toBeDefined();
    // The same visit as the process would have left it had it died right after the put.
    const visitId = randomUUID();
    const { notifiedAt: _notified, ...unqueued } = stored ?? {};
    await documentClient().send(
      new PutCommand({
        TableName: localTableName,
        Item: {
          ...unqueued,
          ...keys.visit(id, visitId),
          visitId,
          ...indexKeys.due('visit', String(stored?.scheduledAt)),
        },
      }),
    );
    const before = (await mailsAbout(reference)).length;
    // Before its reminder time: the mails are queued, nobody is reminded.
    const fired = (await host().fire('case-daily', new Date('2027-01-10T00:30:00Z'))) as {
      visitsReminded: number;
    };
    expect(fired.visitsReminded).toBe(0);
    await host().fire('case-daily', new Date('2027-01-11T00:30:00Z'));
    const repaired = (await mailsAbout(reference)).slice(before);
    expect(countByRecipient(repaired)).toEqual({ [customerAddress]: 1, [outletAddress]: 1 });
  });
});
