/**
 * SES's events about our mail, recorded on each mail's exactly-once marker. A `Send` event
 * (or any later one: delivery, bounce, complaint) proves SES accepted the mail, so the
 * marker becomes sent even when its sender died before it could say so, and no later
 * delivery sends it again. Mail without our tags, or whose marker is gone, is ignored.
 */
import {
  claimFromTags,
  eventDetail,
  eventTime,
  markerFromTags,
  type SesEvent,
  suppressedRecipients,
} from '#functions/contract/mail-events.ts';
import { getComplaint } from '#functions/data/complaints.ts';
import { markUndeliverable } from '#functions/data/customers.ts';
import { recordHistoryEvent } from '#functions/data/history.ts';
import type { ItemKey } from '#functions/data/keys.ts';
import { recordMailEvent } from '#functions/data/mail-markers.ts';
import {
  customerMailOf,
  type DeliveryOutcome,
  recordCustomerMailBounce,
} from '#functions/data/mail-outcomes.ts';
import { recordUndelivered } from '#functions/data/routing.ts';
import { ownerFor } from '#functions/domain/routing.ts';
import { log } from '#functions/shared/log.ts';
import { type BusinessMetric, countBusiness } from '#functions/shared/metrics.ts';
import { sendToQueue } from '#functions/shared/queues.ts';

export type MailEventOutcome = 'recorded' | 'untracked';

/** SES's event types the business counts: accepted, bounced and refused mail. */
const countedEvents = new Map<string, BusinessMetric>([
  ['Send', 'MailsSent'],
  ['Bounce', 'MailsBounced'],
  ['Reject', 'MailsRejected'],
  ['Rendering Failure', 'MailsRejected'],
]);

export async function recordSesEvent(event: SesEvent): Promise<MailEventOutcome> {
  const counted = countedEvents.get(event.eventType);
  if (counted) countBusiness(counted);
  // Suppression does not depend on the marker: an address that bounced for good or
  // complained gets no survey again, whichever mail it was.
  for (const { email, reason } of suppressedRecipients(event)) {
    await markUndeliverable(email, reason, eventTime(event));
  }
  const marker = markerFromTags(event.mail.tags);
  if (!marker) {
    log.info('SES event for a mail without a marker; ignored', { messageId: event.mail.messageId });
    return 'untracked';
  }
  const claimToken = claimFromTags(event.mail.tags);
  const detail = eventDetail(event);
  const outcome = deliveryOutcomeOf(event);
  // One write for the event and the outcome it settles (none for a Send its sender recorded,
  // nor for the delivery of a staff alert).
  const recorded = await recordMailEvent(
    marker,
    {
      type: event.eventType,
      at: eventTime(event),
      sesMessageId: event.mail.messageId,
      ...(claimToken ? { claimToken } : {}),
      ...(detail ? { detail } : {}),
    },
    outcome,
  );
  if (!recorded) {
    log.warn('SES event for a marker that does not exist; ignored', {
      messageId: event.mail.messageId,
    });
    return 'untracked';
  }
  if (outcome) await recordOutcome(marker, outcome, eventTime(event));
  return 'recorded';
}

/** Delivered, bounced for good, or reported as spam; nothing for the other events. */
export function deliveryOutcomeOf(event: SesEvent): DeliveryOutcome | undefined {
  if (event.eventType === 'Delivery') return 'delivered';
  if (event.eventType === 'Complaint') return 'complained';
  if (event.eventType === 'Bounce' && event.bounce?.bounceType === 'Permanent') return 'bounced';
  return undefined;
}

/**
 * On the mail's marker (with the event); and when the customer's mail about a complaint bounced for good, on
 * the complaint (staff see it), its history, and a mail to the owner to phone instead. Each
 * step is idempotent: a redelivered event repeats them and changes nothing more (the owner's
 * mail has its own send-once marker).
 */
async function recordOutcome(marker: ItemKey, outcome: DeliveryOutcome, at: string) {
  const customerMail = customerMailOf(marker);
  if (!customerMail || outcome !== 'bounced') return;
  const { complaintId, notification } = customerMail;
  const complaint = await getComplaint(complaintId);
  if (!complaint) return;
  await recordCustomerMailBounce(complaintId, notification, at);
  await recordUndelivered(complaintId, notification);
  await recordHistoryEvent(
    complaintId,
    { type: 'customer_mail_bounced', at, actor: 'system', details: { notification } },
    notification,
  );
  await sendToQueue('notification', {
    complaintId,
    event: 'bounced',
    recipient: { kind: 'department', code: ownerFor(complaint.customer.market) },
  });
  log.info('customer mail bounced; the owner is told to phone', {
    complaintId,
    reference: complaint.reference,
  });
}
