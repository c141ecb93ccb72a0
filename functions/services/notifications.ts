/**
 * One notification, exactly once: compose the email, claim its marker, send through SES,
 * mark it sent. A redelivered message finds the marker sent (or refused) and sends nothing.
 * SES errors decide what happens next: a transient one gives the claim back and asks for a
 * retry (the queue redelivers it, and dead-letters it after maxReceiveCount); a permanent
 * one is recorded on the complaint and the message is done with.
 */
import type { NotificationMessage } from '#functions/contract/messages.ts';
import { listAttachments } from '#functions/data/attachments.ts';
import { getComplaint } from '#functions/data/complaints.ts';
import { getOutlet, listDepartments } from '#functions/data/configuration.ts';
import { markUndeliverable } from '#functions/data/customers.ts';
import { recordHistoryEvent } from '#functions/data/history.ts';
import { keys } from '#functions/data/keys.ts';
import { recordUndelivered } from '#functions/data/routing.ts';
import type { Complaint } from '#functions/domain/complaint.ts';
import { notificationKey, type QueuedNotification } from '#functions/domain/notifications.ts';
import { roleOf } from '#functions/domain/routing.ts';
import type { OutgoingEmail } from '#functions/email/mailer.ts';
import { acknowledgementEmail, alertEmail } from '#functions/email/templates.ts';
import type { Clock } from '#functions/shared/clock.ts';
import { publicUrl } from '#functions/shared/links.ts';
import { log } from '#functions/shared/log.ts';
import { composeCaseEmail } from './case-notifications.ts';
import { sendOnce } from './send-once.ts';
import { issueStatusLink } from './status-access.ts';
import { composeVisitEmail } from './visit-notifications.ts';

export type DeliveryOutcome = 'sent' | 'already_sent' | 'rejected' | 'retry';

export class NotificationUnresolvable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotificationUnresolvable';
  }
}

export async function deliverNotification(
  message: NotificationMessage,
  now: Date,
  clock: Clock,
): Promise<DeliveryOutcome> {
  const { complaintId, ...notification } = message;
  const key = notificationKey(notification);
  const fields = { complaintId, notification: key };
  const complaint = await getComplaint(complaintId);
  // Thrown errors are retried and end in the dead-letter queue: configuration can be fixed.
  if (!complaint) throw new NotificationUnresolvable(`Complaint ${complaintId} does not exist`);

  const { to, statusAccessDigest, ...content } = await compose(complaint, notification, now);
  const sent = await sendOnce({
    sender: 'sendNotification',
    marker: keys.notification(complaintId, key),
    label: key,
    now,
    clock,
    to,
    compose: async () => content,
    attributes: { complaintId },
    ...(statusAccessDigest ? { statusAccessDigest } : {}),
  });
  switch (sent.outcome) {
    case 'already_sent':
      log.info('notification already sent', fields);
      return 'already_sent';
    case 'rejected':
      // Repeated on a redelivery too, in case the first attempt stopped before it was done.
      await recordRejection(complaint, notification, sent.failedAt, sent.failure);
      return 'rejected';
    case 'retry':
      return 'retry';
    case 'sent':
      log.info('notification sent', { ...fields, reference: complaint.reference });
      return 'sent';
  }
}

/**
 * The email and its recipient's address, looked up now: messages never carry addresses. A
 * mail with a status link names its token's digest, for the mail's marker to keep.
 */
async function compose(
  complaint: Complaint,
  notification: QueuedNotification,
  now: Date,
): Promise<OutgoingEmail & { statusAccessDigest?: string }> {
  if (
    notification.event === 'case' ||
    notification.event === 'escalation' ||
    notification.event === 'bounced'
  ) {
    return composeCaseEmail(complaint, notification, now);
  }
  if (notification.event === 'visit') return composeVisitEmail(complaint, notification, now);
  if (notification.event === 'received') {
    const to = complaint.customer.email;
    if (!to) throw new NotificationUnresolvable('The customer has no email address');
    const link = issueStatusLink(complaint.reference);
    return {
      to,
      ...acknowledgementEmail({
        complaint,
        statusUrl: link.url,
        privacyUrl: publicUrl('/privacy', { lang: complaint.language }),
      }),
      statusAccessDigest: link.digest,
    };
  }
  const { routing, assessment } = complaint;
  const recipient = notification.recipient;
  const role = routing ? roleOf(routing, recipient) : undefined;
  if (!routing || !assessment || !role) {
    throw new NotificationUnresolvable(
      `${notificationKey(notification)} is not part of the routing`,
    );
  }
  const [outlet, attachments] = await Promise.all([
    routing.outlet ? getOutlet(routing.outlet.id) : undefined,
    listAttachments(complaint.id),
  ]);
  if (recipient.kind === 'outlet') {
    if (!outlet) throw new NotificationUnresolvable(`Outlet ${recipient.id} is not configured`);
    return {
      to: outlet.email,
      ...alertEmail({
        complaint,
        routing,
        assessment,
        role,
        recipientName: outlet.name,
        language: outlet.language,
        outletName: outlet.name,
        attachments: attachments.length,
        ...(outlet.timeZone ? { recipientTimeZone: outlet.timeZone } : {}),
      }),
    };
  }
  const department = (await listDepartments()).find(
    (candidate) => candidate.code === recipient.code,
  );
  if (!department) {
    throw new NotificationUnresolvable(`Department ${recipient.code} has no address configured`);
  }
  return {
    to: department.email,
    ...alertEmail({
      complaint,
      routing,
      assessment,
      role,
      recipientName: department.name,
      // Departments work in Chinese; the complaint's own text is quoted as written.
      language: 'zh',
      ...(outlet ? { outletName: outlet.name } : {}),
      attachments: attachments.length,
      consoleUrl: publicUrl(`/staff/complaints/${encodeURIComponent(complaint.reference)}`),
    }),
  };
}

/** On the complaint: the undelivered list, a history event; a refused customer address stops getting surveys. */
async function recordRejection(
  complaint: Complaint,
  notification: QueuedNotification,
  failedAt: string,
  failure: string,
): Promise<void> {
  const key = notificationKey(notification);
  await recordUndelivered(complaint.id, key);
  await recordHistoryEvent(
    complaint.id,
    {
      type: 'notification_failed',
      at: failedAt,
      actor: 'system',
      details: { notification: key, reason: failure.split(':')[0] ?? failure },
    },
    key,
  );
  const toCustomer =
    notification.event === 'visit'
      ? notification.mail === 'customer'
      : notification.recipient.kind === 'customer';
  if (toCustomer && complaint.customer.email) {
    await markUndeliverable(complaint.customer.email, failure, failedAt);
  }
}
