/**
 * Who a case event tells, and the email each gets. The queue message names only the
 * complaint, the event's version and the recipient; the email is composed from the stored
 * event when it is sent, and sent once (the notification consumer's markers).
 */

import type { CaseEvent } from '#functions/data/cases.ts';
import { getCaseEvent } from '#functions/data/cases.ts';
import { listDepartments } from '#functions/data/configuration.ts';
import { storeFeedbackToken } from '#functions/data/feedback-tokens.ts';
import type { Remedy } from '#functions/domain/case-lifecycle.ts';
import { escalationRecipients } from '#functions/domain/case-lifecycle.ts';
import type { Complaint } from '#functions/domain/complaint.ts';
import type { DepartmentCode } from '#functions/domain/departments.ts';
import type { Notification } from '#functions/domain/notifications.ts';
import { ownerFor } from '#functions/domain/routing.ts';
import { issueSurveyToken } from '#functions/domain/survey-token.ts';
import { handlingEmail, responseEmail, staffEmail } from '#functions/email/case-emails.ts';
import type { OutgoingEmail } from '#functions/email/mailer.ts';
import { addSeconds } from '#functions/shared/clock.ts';
import { setting } from '#functions/shared/config.ts';
import { publicUrl } from '#functions/shared/links.ts';
import { issueStatusLink } from './status-access.ts';

/** Days the customer may answer the response; after them the daily schedule closes it as "no reply". */
export function feedbackDays(): number {
  return setting('HANDLING_FEEDBACK_DAYS');
}

const department = (code: DepartmentCode) => ({ kind: 'department', code }) as const;

/** The notifications a recorded case event sends. */
export function caseNotifications(
  event: Pick<CaseEvent, 'type' | 'version' | 'state' | 'fields'>,
  complaint: Pick<Complaint, 'customer'>,
): Notification[] {
  // A customer keyed in without an address is told by the owner by phone or letter.
  return notificationsOf(event, complaint).filter(
    (notification) => notification.recipient.kind !== 'customer' || !!complaint.customer.email,
  );
}

function notificationsOf(
  event: Pick<CaseEvent, 'type' | 'version' | 'state' | 'fields'>,
  complaint: Pick<Complaint, 'customer'>,
): Notification[] {
  const owner = ownerFor(complaint.customer.market);
  const to = (recipient: Extract<Notification, { event: 'case' }>['recipient']): Notification => ({
    event: 'case',
    version: event.version,
    recipient,
  });
  switch (event.type) {
    case 'accept':
      return [to({ kind: 'customer' })];
    case 'propose':
      return event.state.status === 'awaiting_approval' ? [to(department('gm'))] : [];
    case 'approve':
    case 'reject':
      return [to(department(owner))];
    case 'respond':
      return [to({ kind: 'customer' })];
    case 'customer_answer':
      return event.state.status === 'reopened' ? [to(department(owner)), to(department('gm'))] : [];
    default:
      return [];
  }
}

export function escalationNotifications(
  level: 'first_response' | 'resolution',
  complaint: Pick<Complaint, 'customer'>,
): Notification[] {
  return escalationRecipients(level, complaint.customer.market).map((code) => ({
    event: 'escalation',
    level,
    recipient: department(code),
  }));
}

export function consoleUrl(reference: string): string {
  return publicUrl(`/staff/complaints/${encodeURIComponent(reference)}`);
}

export class CaseNotificationUnresolvable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaseNotificationUnresolvable';
  }
}

export async function composeCaseEmail(
  complaint: Complaint,
  notification: Extract<Notification, { event: 'case' | 'escalation' | 'bounced' }>,
  now: Date,
): Promise<OutgoingEmail & { statusAccessDigest?: string }> {
  const recipient = notification.recipient;
  if (recipient.kind === 'customer') {
    if (notification.event !== 'case') throw new CaseNotificationUnresolvable('No such mail');
    const event = await getCaseEvent(complaint.id, notification.version);
    if (!event) throw new CaseNotificationUnresolvable(`No case event ${notification.version}`);
    const to = complaint.customer.email;
    if (!to) throw new CaseNotificationUnresolvable('The customer has no email address');
    if (event.type === 'accept') {
      const link = issueStatusLink(complaint.reference);
      return { to, ...handlingEmail(complaint, link.url), statusAccessDigest: link.digest };
    }
    const proposal = event.state.proposal;
    if (event.type !== 'respond' || !proposal) {
      throw new CaseNotificationUnresolvable(`Event ${event.type} sends the customer nothing`);
    }
    const issued = issueSurveyToken(addSeconds(now, feedbackDays() * 86_400));
    await storeFeedbackToken({
      digest: issued.digest,
      complaintId: complaint.id,
      version: event.version,
      expiresAt: issued.expiresAt,
    });
    const remedy: Remedy = proposal.remedy;
    return {
      to,
      ...responseEmail(
        complaint,
        { text: proposal.response.text, remedy },
        publicUrl(`/feedback/${issued.token}`),
      ),
    };
  }
  const address = (await listDepartments()).find((entry) => entry.code === recipient.code)?.email;
  if (!address) {
    throw new CaseNotificationUnresolvable(`Department ${recipient.code} has no address`);
  }
  const link = consoleUrl(complaint.reference);
  if (notification.event === 'bounced') {
    const phone = complaint.customer.phone;
    return {
      to: address,
      ...staffEmail(
        complaint,
        { kind: 'customer_mail_bounced', ...(phone ? { phone } : {}) },
        link,
      ),
    };
  }
  if (notification.event === 'escalation') {
    const dueAt =
      notification.level === 'first_response'
        ? complaint.assessment?.firstResponseDueAt
        : complaint.assessment?.resolutionDueAt;
    return {
      to: address,
      ...staffEmail(
        complaint,
        { kind: 'escalation', level: notification.level, dueAt: dueAt ?? complaint.createdAt },
        link,
      ),
    };
  }
  const event = await getCaseEvent(complaint.id, notification.version);
  if (!event) throw new CaseNotificationUnresolvable(`No case event ${notification.version}`);
  const text = (name: string) => {
    const value = event.fields[name];
    return typeof value === 'string' ? value : undefined;
  };
  switch (event.type) {
    case 'propose': {
      const proposal = event.state.proposal;
      if (!proposal) throw new CaseNotificationUnresolvable('Proposal missing');
      return {
        to: address,
        ...staffEmail(
          complaint,
          { kind: 'approval_requested', remedy: proposal.remedy, response: proposal.response.text },
          link,
        ),
      };
    }
    case 'approve':
    case 'reject': {
      const comment = text('comment');
      return {
        to: address,
        ...staffEmail(
          complaint,
          {
            kind: event.type === 'approve' ? 'approved' : 'rejected',
            ...(comment ? { comment } : {}),
          },
          link,
        ),
      };
    }
    case 'customer_answer': {
      const comment = text('comment');
      return {
        to: address,
        ...staffEmail(
          complaint,
          { kind: 'reopened_by_customer', ...(comment ? { comment } : {}) },
          link,
        ),
      };
    }
    default:
      throw new CaseNotificationUnresolvable(`Event ${event.type} sends staff nothing`);
  }
}
