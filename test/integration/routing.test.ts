/**
 * A posted complaint reaches the right people, by the procedure, through the routing and
 * notification queues and SES (aws-ses-v2-local's store), once each.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  draftFromSubmission,
  parseComplaintSubmission,
} from '#functions/contract/complaint-submission.ts';
import type { NotificationMessage } from '#functions/contract/messages.ts';
import { createComplaint, getComplaint } from '#functions/data/complaints.ts';
import { getRoutingPolicy, listOutlets } from '#functions/data/configuration.ts';
import { indexKeys, keys } from '#functions/data/keys.ts';
import { recordRouting } from '#functions/data/routing.ts';
import { tableIndexes } from '#functions/data/table.ts';
import { chinaMonth } from '#functions/domain/register.ts';
import { decideRouting } from '#functions/domain/routing.ts';
import { addWorkingHours, noHolidays } from '#functions/domain/working-hours.ts';
import { caseView } from '#functions/services/case-views.ts';
import { loadCaseById } from '#functions/services/cases.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { localTableName } from '#infra/local/host.ts';
import {
  postJson,
  type SentEmail,
  useTestHost,
  validComplaint,
  waitFor,
} from '#test/support/local-host.ts';
import {
  complaintPartition,
  countByRecipient,
  emailsAbout,
  historyEvents,
  sendRawMessage,
  waitUntilQueuesIdle,
} from '#test/support/notifications.ts';
import { storedComplaint } from '#test/support/table.ts';

const host = useTestHost();

interface Posted {
  id: string;
  reference: string;
}

async function post(complaint: Record<string, unknown>): Promise<Posted> {
  const response = await postJson(host(), '/complaints', complaint);
  expect(response.status).toBe(202);
  return (await response.json()) as Posted;
}

/** Waits for `expected` emails about the complaint, then for the queues to be idle. */
async function settledEmails(reference: string, expected: number): Promise<SentEmail[]> {
  await waitFor(
    async () => ((await emailsAbout(host(), reference)).length >= expected ? true : undefined),
    `${expected} emails about ${reference}`,
  );
  await waitUntilQueuesIdle(host());
  return emailsAbout(host(), reference);
}

const customerEmail = validComplaint().customer.email;

/** The complaint's register row, which is the GM's queue row (what `byDepartmentStatus` copies). */
async function gmRowOf(id: string): Promise<Record<string, unknown> | undefined> {
  const complaint = await storedComplaint(id);
  const receivedAt = String(complaint?.receivedAt ?? complaint?.createdAt);
  const result = await documentClient().send(
    new GetCommand({
      TableName: localTableName,
      Key: keys.registerRow(chinaMonth(receivedAt), receivedAt, id),
      ConsistentRead: true,
    }),
  );
  return result.Item;
}

describe('a domestic quality complaint', () => {
  let posted: Posted;
  let emails: SentEmail[];

  beforeAll(async () => {
    posted = await post(validComplaint());
    // Acknowledgement, gm, sales, production_vp, qc, and the outlet for Guangdong.
    emails = await settledEmails(posted.reference, 6);
  });

  it('acknowledges the customer once and alerts gm, production_vp, qc and sales once each', () => {
    expect(countByRecipient(emails)).toEqual({
      [customerEmail]: 1,
      'gm@example.com': 1,
      'production_vp@example.com': 1,
      'qc@example.com': 1,
      'sales@example.com': 1,
      'outlet-south-china@example.com': 1,
    });
    expect(emails.some((email) => email.destination.to.includes('export@example.com'))).toBe(false);
  });

  it('sends from the configured address, never the customer’s', () => {
    for (const email of emails) {
      expect(email.from).toBe('Aftercare <aftercare@example.com>');
      expect(email.replyTo).toEqual(['service@example.com']);
    }
  });

  it('writes the acknowledgement in Chinese with the reference and the status link', () => {
    const ack = emails.find((email) => email.destination.to.includes(customerEmail));
    expect(ack?.subject).toContain(posted.reference);
    expect(ack?.subject).toContain('已受理');
    // The status link carries the complaint's access token, not the customer's address.
    const link = new RegExp(
      `${host().url}/complaints/${posted.reference}\\?access=[A-Za-z0-9_-]{43}`,
    ).exec(ack?.body.text ?? '')?.[0];
    expect(link).toBeDefined();
    expect(ack?.body.html).toContain(`href="${link}"`);
    expect(ack?.body.text).not.toContain('email=');
    expect(ack?.body.text).toContain('经营部');
  });

  it('tells each department its role', () => {
    const to = (address: string) => emails.find((email) => email.destination.to.includes(address));
    expect(to('sales@example.com')?.body.text).toContain('您的职责：负责处理');
    expect(to('production_vp@example.com')?.body.text).toContain('您的职责：组织分析');
    expect(to('qc@example.com')?.body.text).toContain('您的职责：原因分析与纠正措施');
    expect(to('gm@example.com')?.body.text).toContain('您的职责：知悉');
    expect(to('outlet-south-china@example.com')?.body.text).toContain('您的职责：当地服务');
  });

  it('stores the routing, the assessment and the due dates on the complaint', async () => {
    const complaint = await storedComplaint(posted.id);
    expect(complaint).toMatchObject({
      status: 'routed',
      routing: {
        routedAt: expect.any(String),
        assignments: [
          { department: 'gm', role: 'informed' },
          { department: 'sales', role: 'owner' },
          { department: 'production_vp', role: 'analysis' },
          { department: 'qc', role: 'root_cause' },
        ],
        outlet: { id: 'south-china', role: 'local_service' },
      },
      assessment: { severity: 'normal', reasons: ['return_or_exchange', 'product_quality'] },
      dueKey: 'DUE#open',
    });
    const assessment = complaint?.assessment as { firstResponseDueAt: string };
    expect(complaint?.dueAt).toBe(assessment.firstResponseDueAt);
    // One working day (nine working hours) from receipt, by the working clock.
    expect(assessment.firstResponseDueAt).toBe(
      addWorkingHours(new Date(String(complaint?.createdAt)), 9, noHolidays).toISOString(),
    );
  });

  it('lists the complaint for each department it was assigned to, and only those: the GM by its register row', async () => {
    const complaint = await storedComplaint(posted.id);
    const inDepartment = async (department: string) => {
      const key = indexKeys.departmentStatus(department, 'routed', '', '').departmentStatusKey;
      const result = await documentClient().send(
        new QueryCommand({
          TableName: localTableName,
          IndexName: 'byDepartmentStatus',
          KeyConditionExpression: '#key = :key',
          ExpressionAttributeNames: { '#key': tableIndexes.byDepartmentStatus.partitionKey },
          ExpressionAttributeValues: { ':key': key },
          ScanIndexForward: false,
        }),
      );
      return (result.Items ?? []).filter(
        (item) => item.departmentSort === `${complaint?.createdAt}#${posted.id}`,
      );
    };
    expect(await inDepartment('qc')).toEqual([
      expect.objectContaining({
        sk: 'ASSIGNMENT#qc',
        complaintId: posted.id,
        role: 'root_cause',
        reference: posted.reference,
      }),
    ]);
    expect(await inDepartment('sales')).toHaveLength(1);
    expect(await inDepartment('export')).toHaveLength(0);
    // The GM, told of every complaint, has no assignment item: its row is the register row.
    const assessment = complaint?.assessment as { severity: string; firstResponseDueAt: string };
    expect(await inDepartment('gm')).toEqual([
      expect.objectContaining({
        pk: expect.stringMatching(/^REGISTER#/),
        reference: posted.reference,
        status: 'routed',
        category: 'quality',
        severity: assessment.severity,
        nextDueAt: assessment.firstResponseDueAt,
      }),
    ]);
    const partition = await complaintPartition(posted.id);
    expect(partition.map((item) => item.sk)).not.toContain('ASSIGNMENT#gm');
    expect(partition.map((item) => item.sk)).toContain('ASSIGNMENT#sales');
  });

  it('is in the open-complaints index by its due time', async () => {
    const result = await documentClient().send(
      new QueryCommand({
        TableName: localTableName,
        IndexName: 'byDue',
        KeyConditionExpression: 'dueKey = :key',
        ExpressionAttributeValues: { ':key': 'DUE#open' },
      }),
    );
    expect((result.Items ?? []).map((item) => item.id)).toContain(posted.id);
  });

  it('shows its decision as the one routed entry of the history, with no write of its own', async () => {
    expect(await historyEvents(posted.id)).toEqual([]);
    const loaded = await loadCaseById(posted.id);
    if (!loaded) throw new Error('the routed complaint is missing');
    const view = await caseView(loaded, ['gm']);
    const routed = view.history.filter((entry) => entry.type === 'routed');
    expect(routed).toEqual([
      expect.objectContaining({
        at: loaded.complaint.routing?.routedAt,
        actor: { kind: 'system' },
        severity: loaded.complaint.assessment?.severity,
        assignments: loaded.complaint.routing?.assignments,
        outlet: { id: 'south-china', role: 'local_service' },
        firstResponseDueAt: loaded.complaint.assessment?.firstResponseDueAt,
      }),
    ]);
  });

  it('changes nothing when the routing and notification messages are delivered again', async () => {
    const itemsBefore = await complaintPartition(posted.id);
    const rowBefore = await gmRowOf(posted.id);
    expect(rowBefore).toMatchObject({ departmentStatusKey: 'DEPT#gm#routed' });
    await sendRawMessage(host(), 'routing', { complaintId: posted.id });
    const again: NotificationMessage[] = [
      { complaintId: posted.id, event: 'received', recipient: { kind: 'customer' } },
      ...(['gm', 'sales', 'production_vp', 'qc'] as const).map(
        (code): NotificationMessage => ({
          complaintId: posted.id,
          event: 'routed',
          recipient: { kind: 'department', code },
        }),
      ),
      {
        complaintId: posted.id,
        event: 'routed',
        recipient: { kind: 'outlet', id: 'south-china' },
      },
    ];
    for (const message of again) await sendRawMessage(host(), 'notification', message);
    // Twice more, concurrently, for good measure.
    await Promise.all(again.map((message) => sendRawMessage(host(), 'notification', message)));
    await waitUntilQueuesIdle(host());

    expect(await emailsAbout(host(), posted.reference)).toHaveLength(emails.length);
    expect(await historyEvents(posted.id)).toHaveLength(0);
    const itemsAfter = await complaintPartition(posted.id);
    expect(itemsAfter.map((item) => item.sk)).toEqual(itemsBefore.map((item) => item.sk));
    const complaint = itemsAfter.find((item) => item.sk === 'COMPLAINT');
    expect(complaint?.updatedAt).toBe(
      itemsBefore.find((item) => item.sk === 'COMPLAINT')?.updatedAt,
    );
    const markers = itemsAfter.filter((item) => String(item.sk).startsWith('NOTIFICATION#'));
    expect(markers).toHaveLength(6);
    for (const marker of markers) expect(marker).toMatchObject({ state: 'sent', attempts: 1 });
    // No GM assignment appears; the register row (the GM's queue row) is as it was.
    expect(itemsAfter.map((item) => item.sk)).not.toContain('ASSIGNMENT#gm');
    expect(await gmRowOf(posted.id)).toEqual(rowBefore);
  });
});

describe('an export complaint about goods not as ordered, in English', () => {
  it('acknowledges in English and makes export, not sales, the owner', async () => {
    const posted = await post(
      validComplaint({
        customer: {
          name: 'Anna Schmidt',
          company: 'Fenster & Türen GmbH',
          email: 'anna@kunde.example',
          market: 'export',
          region: 'DE',
        },
        category: 'wrong_goods',
        subject: 'Profiles delivered in the wrong alloy',
        description: 'We ordered 6063-T5 and received 6061.',
        language: 'en',
      }),
    );
    // wrong_goods asks for no local service: the European agent is not told.
    const emails = await settledEmails(posted.reference, 5);
    expect(countByRecipient(emails)).toEqual({
      'anna@kunde.example': 1,
      'gm@example.com': 1,
      'export@example.com': 1,
      'production_vp@example.com': 1,
      'qc@example.com': 1,
    });
    const ack = emails.find((email) => email.destination.to.includes('anna@kunde.example'));
    expect(ack?.subject).toBe(`We have received your feedback (${posted.reference})`);
    expect(ack?.body.text).toMatch(/^Hello,/);
    expect(ack?.body.text).not.toContain('Anna Schmidt');
    expect(ack?.body.text).toContain('Export Sales');
    expect(ack?.body.html).toContain('<html lang="en">');
    const exportAlert = emails.find((email) => email.destination.to.includes('export@example.com'));
    expect(exportAlert?.body.text).toContain('您的职责：负责处理');
    expect(exportAlert?.body.html).toContain('Fenster &amp; Türen GmbH');
  });
});

describe('a domestic suggestion', () => {
  it('goes to gm and sales only, with low severity', async () => {
    const posted = await post(
      validComplaint({
        category: 'suggestion',
        subject: '建议增加型材表面颜色选择',
        description: '希望提供更多木纹转印颜色。',
        claim: { type: 'none' },
      }),
    );
    const emails = await settledEmails(posted.reference, 3);
    expect(countByRecipient(emails)).toEqual({
      [customerEmail]: 1,
      'gm@example.com': 1,
      'sales@example.com': 1,
    });
    const complaint = await storedComplaint(posted.id);
    expect(complaint?.assessment).toMatchObject({ severity: 'low' });
  });
});

describe('a request for on-site service', () => {
  it('tells the outlet covering the customer’s province, with high severity for a safety word', async () => {
    const posted = await post(
      validComplaint({
        customer: { ...validComplaint().customer, region: '广西' },
        category: 'onsite_service',
        subject: '幕墙型材安装现场需要技术人员',
        description: '安装时发现连接件断裂，存在安全隐患，请派人到现场。',
        claim: { type: 'compensation', amount: 5000 },
      }),
    );
    const emails = await settledEmails(posted.reference, 4);
    expect(countByRecipient(emails)).toEqual({
      [customerEmail]: 1,
      'gm@example.com': 1,
      'sales@example.com': 1,
      'outlet-south-china@example.com': 1,
    });
    const complaint = await storedComplaint(posted.id);
    expect(complaint?.assessment).toMatchObject({
      severity: 'high',
      reasons: ['safety_concern', 'compensation_claim'],
    });
    const gmAlert = emails.find((email) => email.destination.to.includes('gm@example.com'));
    expect(gmAlert?.subject).toContain('审批');
  });
});

describe('a routing delivery that died after recording its decision', () => {
  it('leaves the notifications to the redelivery, which queues each one whose message no consumer took', async () => {
    const parsed = parseComplaintSubmission(validComplaint({ category: 'delivery' }));
    if (!parsed.ok) throw new Error('the test complaint is invalid');
    const id = randomUUID();
    const reference = `FB-2026-${String(900_000 + Math.floor(Math.random() * 99_999))}`;
    const createdAt = new Date().toISOString();
    await createComplaint(
      { id, draft: draftFromSubmission(parsed.value), createdAt },
      Promise.resolve({ reference, acknowledgementWithheld: false }),
    );
    const complaint = await getComplaint(id);
    if (!complaint) throw new Error('the complaint was not stored');
    const [policy, outlets] = await Promise.all([getRoutingPolicy(), listOutlets()]);
    const { decision, assessment } = decideRouting(complaint, { policy, outlets }, new Date());
    // The decision is recorded; the delivery dies before its assignments and notifications.
    expect(await recordRouting(id, decision, assessment)).toBe(true);

    await sendRawMessage(host(), 'routing', { complaintId: id });
    const emails = await settledEmails(reference, 3);
    expect(countByRecipient(emails)).toEqual({
      [customerEmail]: 1,
      'gm@example.com': 1,
      'sales@example.com': 1,
    });
    // Once more: every notification has its marker, so nothing is queued or sent again.
    await sendRawMessage(host(), 'routing', { complaintId: id });
    await waitUntilQueuesIdle(host());
    expect(await emailsAbout(host(), reference)).toHaveLength(3);
  });
});
