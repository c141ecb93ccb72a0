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
import { markUndeliverable } from '#functions/data/customers.ts';
import { recordMailEvent } from '#functions/data/mail-markers.ts';
import { log } from '#functions/shared/log.ts';
import { type BusinessMetric, countBusiness } from '#functions/shared/metrics.ts';

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
  const recorded = await recordMailEvent(marker, {
    type: event.eventType,
    at: eventTime(event),
    sesMessageId: event.mail.messageId,
    ...(claimToken ? { claimToken } : {}),
    ...(detail ? { detail } : {}),
  });
  if (!recorded) {
    log.warn('SES event for a marker that does not exist; ignored', {
      messageId: event.mail.messageId,
    });
    return 'untracked';
  }
  return 'recorded';
}
