/**
 * SES's event publishing, as it reaches the mail-event queue (SNS raw delivery: the body is
 * SES's event record), and the tags that tie a mail to its exactly-once marker. Only what
 * the consumer reads is validated; SES adds more (headers, addresses) that is never logged.
 * https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html
 */
import * as z from 'zod/mini';
import type { ItemKey } from '#functions/data/keys.ts';
import { mailTags } from '#functions/wiring.ts';

const timestamp = z.string().check(z.minLength(1), z.maxLength(64));
const code = z.optional(z.string().check(z.maxLength(100)));
const recipient = z.object({ emailAddress: z.string().check(z.minLength(3), z.maxLength(320)) });

export const sesEvent = z.object({
  // `Send`, `Delivery`, `Bounce`, `DeliveryDelay`, `Rendering Failure`…
  eventType: z.string().check(z.regex(/^[A-Za-z ]{1,40}$/)),
  mail: z.object({
    timestamp,
    messageId: z.string().check(z.minLength(1), z.maxLength(200)),
    tags: z.optional(z.record(z.string(), z.array(z.string()))),
  }),
  bounce: z.optional(
    z.object({
      bounceType: code,
      bounceSubType: code,
      timestamp,
      bouncedRecipients: z.optional(z.array(recipient)),
    }),
  ),
  complaint: z.optional(
    z.object({
      complaintFeedbackType: code,
      timestamp,
      complainedRecipients: z.optional(z.array(recipient)),
    }),
  ),
  delivery: z.optional(z.object({ timestamp })),
  reject: z.optional(z.object({ reason: code })),
  deliveryDelay: z.optional(z.object({ delayType: code, timestamp })),
});
export type SesEvent = z.output<typeof sesEvent>;

/** SES tag values: ASCII letters, digits, `_` and `-`, at most 256 characters each. */
const tagValueLength = 256;

/** The tags naming a mail's marker and the claim that sends it (SES `EmailTags`). */
export function markerTags(marker: ItemKey, claimToken: string): Record<string, string> {
  const encoded = Buffer.from(`${marker.pk}\n${marker.sk}`, 'utf8').toString('base64url');
  const tags: Record<string, string> = { [mailTags.claim]: claimToken };
  for (let index = 0; index * tagValueLength < encoded.length; index++) {
    tags[`${mailTags.markerPrefix}${index}`] = encoded.slice(
      index * tagValueLength,
      (index + 1) * tagValueLength,
    );
  }
  return tags;
}

/** The marker a mail's tags name, or undefined for mail that is not ours to track. */
export function markerFromTags(tags: Record<string, string[]> | undefined): ItemKey | undefined {
  if (!tags) return undefined;
  let encoded = '';
  for (let index = 0; ; index++) {
    const value = tags[`${mailTags.markerPrefix}${index}`]?.[0];
    if (value === undefined) break;
    encoded += value;
  }
  if (encoded === '' || !/^[\w-]+$/.test(encoded)) return undefined;
  const [pk, sk, ...rest] = Buffer.from(encoded, 'base64url').toString('utf8').split('\n');
  if (!pk || !sk || rest.length > 0) return undefined;
  return { pk, sk };
}

export function claimFromTags(tags: Record<string, string[]> | undefined): string | undefined {
  const value = tags?.[mailTags.claim]?.[0];
  return value && /^[\w-]{1,64}$/.test(value) ? value : undefined;
}

/** Short codes an event carries (bounce type, complaint feedback type…), never addresses. */
export function eventDetail(event: SesEvent): string | undefined {
  const parts = [
    event.bounce?.bounceType,
    event.bounce?.bounceSubType,
    event.complaint?.complaintFeedbackType,
    event.reject?.reason,
    event.deliveryDelay?.delayType,
  ].filter((part): part is string => typeof part === 'string' && part !== '');
  return parts.length > 0 ? parts.join('/').slice(0, 200) : undefined;
}

/** When the event happened: its own timestamp where it has one, else the mail's. */
export function eventTime(event: SesEvent): string {
  return (
    event.bounce?.timestamp ??
    event.complaint?.timestamp ??
    event.delivery?.timestamp ??
    event.deliveryDelay?.timestamp ??
    event.mail.timestamp
  );
}

/**
 * Addresses that must get no more survey mail: those that bounced for good (`Permanent`)
 * or reported our mail as spam. A transient bounce suppresses nothing; it is only recorded.
 */
export function suppressedRecipients(
  event: SesEvent,
): { email: string; reason: 'bounced' | 'complained' }[] {
  if (event.eventType === 'Bounce' && event.bounce?.bounceType === 'Permanent') {
    return (event.bounce.bouncedRecipients ?? []).map((entry) => ({
      email: entry.emailAddress,
      reason: 'bounced',
    }));
  }
  if (event.eventType === 'Complaint') {
    return (event.complaint?.complainedRecipients ?? []).map((entry) => ({
      email: entry.emailAddress,
      reason: 'complained',
    }));
  }
  return [];
}
