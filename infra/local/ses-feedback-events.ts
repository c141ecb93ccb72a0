/**
 * SES's feedback about one accepted mail, as its event publishing sends it to SNS: the
 * Bounce, Complaint and Delivery records (with the mail's tags, headers and message id),
 * for `npm run ses:feedback` and the tests of the feedback loop.
 * https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html
 */
import { randomUUID } from 'node:crypto';
import { type AcceptedMail, readSesJournal, sendEvent } from './stand-ins.ts';

export const feedbackKinds = ['bounce', 'complaint', 'delivery'] as const;
export type FeedbackKind = (typeof feedbackKinds)[number];

/** SES's Bounce, Complaint or Delivery event record about `mail`, for one recipient. */
export function feedbackEvent(
  kind: FeedbackKind,
  mail: AcceptedMail,
  address: string,
  options: { transient?: boolean; at?: Date } = {},
) {
  const timestamp = (options.at ?? new Date()).toISOString();
  const base = sendEvent(mail);
  const feedbackId = `${randomUUID()}-000000`;
  switch (kind) {
    case 'bounce':
      return {
        eventType: 'Bounce',
        mail: base.mail,
        bounce: options.transient
          ? {
              feedbackId,
              bounceType: 'Transient',
              bounceSubType: 'MailboxFull',
              bouncedRecipients: [
                {
                  emailAddress: address,
                  action: 'failed',
                  status: '4.2.2',
                  diagnosticCode: 'smtp; 452 4.2.2 mailbox full',
                },
              ],
              timestamp,
              reportingMTA: 'dsn; local.amazonses.com',
            }
          : {
              feedbackId,
              bounceType: 'Permanent',
              bounceSubType: 'General',
              bouncedRecipients: [
                {
                  emailAddress: address,
                  action: 'failed',
                  status: '5.1.1',
                  diagnosticCode: 'smtp; 550 5.1.1 user unknown',
                },
              ],
              timestamp,
              reportingMTA: 'dsn; local.amazonses.com',
            },
      };
    case 'complaint':
      return {
        eventType: 'Complaint',
        mail: base.mail,
        complaint: {
          feedbackId,
          complainedRecipients: [{ emailAddress: address }],
          timestamp,
          userAgent: 'Aftercare local feedback',
          complaintFeedbackType: 'abuse',
          arrivalDate: timestamp,
        },
      };
    case 'delivery':
      return {
        eventType: 'Delivery',
        mail: base.mail,
        delivery: {
          timestamp,
          processingTimeMillis: Math.max(0, Date.parse(timestamp) - Date.parse(mail.timestamp)),
          recipients: [address],
          smtpResponse: '250 2.6.0 Message received',
          reportingMTA: 'local.amazonses.com',
        },
      };
  }
}

/** The last mail the local SES accepted for `address` (its journal keeps the tags). */
export function lastMailTo(dataDir: string, address: string): AcceptedMail | undefined {
  const wanted = address.trim().toLowerCase();
  return readSesJournal(dataDir)
    .accepted.filter((mail) => mail.destination.some((to) => to.trim().toLowerCase() === wanted))
    .at(-1);
}
