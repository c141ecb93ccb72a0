/** Who a case event tells, and what the emails say: escaped, one-line subjects, times with their zone. */
import { describe, expect, it } from 'vitest';
import type { Complaint } from '#functions/domain/complaint.ts';
import type { Notification } from '#functions/domain/notifications.ts';
import { digestEmail, responseEmail, staffEmail } from '#functions/email/case-emails.ts';
import {
  caseNotifications,
  escalationNotifications,
} from '#functions/services/case-notifications.ts';

const complaint: Complaint = {
  id: 'c1',
  reference: 'FB-2027-000042',
  status: 'in_progress',
  createdAt: '2027-01-11T01:00:00.000Z',
  updatedAt: '2027-01-11T01:00:00.000Z',
  customer: {
    name: '<b>Li</b>',
    email: 'li@customer.example',
    market: 'domestic',
    region: 'CN-GD',
  },
  category: 'quality',
  subject: 'Film <peels>\r\nBcc: x@evil.example',
  description: 'x',
  language: 'en',
  channel: 'web',
};

const codes = (notifications: Notification[]) =>
  notifications.map((notification) =>
    notification.recipient.kind === 'department'
      ? notification.recipient.code
      : notification.recipient.kind,
  );

const state = (status: Complaint['status']) => ({ status, version: 3 });

describe('who a case event tells', () => {
  const tells = (
    type: Parameters<typeof caseNotifications>[0]['type'],
    status: Complaint['status'],
  ) => codes(caseNotifications({ type, version: 3, state: state(status), fields: {} }, complaint));

  it('tells the customer of accept and respond, the GM of a proposal waiting, the owner of the decision', () => {
    expect(tells('accept', 'in_progress')).toEqual(['customer']);
    expect(tells('propose', 'awaiting_approval')).toEqual(['gm']);
    expect(tells('propose', 'in_progress')).toEqual([]);
    expect(tells('approve', 'in_progress')).toEqual(['sales']);
    expect(tells('reject', 'in_progress')).toEqual(['sales']);
    expect(tells('respond', 'responded')).toEqual(['customer']);
    expect(tells('customer_answer', 'reopened')).toEqual(['sales', 'gm']);
    expect(tells('customer_answer', 'closed')).toEqual([]);
    expect(tells('note', 'in_progress')).toEqual([]);
  });

  it('sends an overdue first response to the owner and the office, a resolution to the GM', () => {
    const exportComplaint = { customer: { ...complaint.customer, market: 'export' as const } };
    expect(codes(escalationNotifications('first_response', exportComplaint))).toEqual([
      'export',
      'office',
    ]);
    expect(codes(escalationNotifications('resolution', complaint))).toEqual(['gm']);
  });
});

describe('case emails', () => {
  it('escapes what the customer wrote and keeps subjects to one line', () => {
    const mail = staffEmail(
      complaint,
      { kind: 'reopened_by_customer', comment: '<script>x</script>' },
      'http://x/staff',
    );
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    const response = responseEmail(
      complaint,
      { text: 'We <fix> it', remedy: { type: 'repair' } },
      'http://x/feedback/t',
    );
    expect(response.html).toContain('We &lt;fix&gt; it');
    expect(response.html).toContain('Dear &lt;b&gt;Li&lt;/b&gt;');
    expect(response.text).toContain('http://x/feedback/t');
  });

  it('names the time zone with every time in staff mail', () => {
    const overdue = staffEmail(
      complaint,
      { kind: 'escalation', level: 'first_response', dueAt: '2027-01-11T05:00:00.000Z' },
      'http://x',
    );
    expect(overdue.text).toContain('2027-01-11 13:00 (Asia/Shanghai)');
    const digest = digestEmail(
      '2027-01-12',
      [
        {
          reference: 'FB-2027-000042',
          subject: 's',
          status: 'routed',
          dueAt: '2027-01-11T05:00:00.000Z',
        },
      ],
      'http://x',
    );
    expect(digest.text).toContain('FB-2027-000042');
    expect(digest.text).toContain('(Asia/Shanghai)');
  });
});
