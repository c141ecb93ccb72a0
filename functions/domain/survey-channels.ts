/**
 * How a customer is surveyed: by email (the personal link), or by phone, fax or post
 * (电话问答、传真调查表、邮寄调查表), where staff enter the answer from the call or the
 * returned form. Pure: the channel vocabulary, the short code printed on a form, and the
 * registry address of a customer who has no email address.
 */
import { createHash } from 'node:crypto';
import type { Bilingual } from './labels.ts';

export const surveyChannels = ['email', 'phone', 'fax', 'post'] as const;
export type SurveyChannel = (typeof surveyChannels)[number];

/** The channels staff work by hand: a call list or a printed questionnaire. */
export const offlineChannels = ['phone', 'fax', 'post'] as const;
export type OfflineChannel = (typeof offlineChannels)[number];

export function isOfflineChannel(channel: string | undefined): channel is OfflineChannel {
  return channel === 'phone' || channel === 'fax' || channel === 'post';
}

export const surveyChannelLabels: Record<SurveyChannel, Bilingual> = {
  email: { zh: '邮件', en: 'Email' },
  phone: { zh: '电话问答', en: 'Phone' },
  fax: { zh: '传真调查表', en: 'Fax' },
  post: { zh: '邮寄调查表', en: 'Post' },
};

/** Crockford's base-32 alphabet: no I, L, O or U, so a code read aloud or by hand survives. */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The short code printed on a customer's questionnaire, e.g. `27-4KQ8-M2XD`: the year's last
 * two digits and 40 bits of SHA-256 of year and address. Derived, not random, so a campaign
 * fired twice prints the same code; it names a survey, it grants nothing (staff enter answers).
 */
export function surveyCode(year: number, email: string): string {
  const digest = createHash('sha256').update(`${year}\u0000${email.trim().toLowerCase()}`).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 5)) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let index = 0; index < 8; index++) {
    code = alphabet[Number(bits & 31n)] + code;
    bits >>= 5n;
  }
  return `${String(year % 100).padStart(2, '0')}-${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Codes are typed back in: case, spaces, dashes and the look-alikes O/I/L do not matter. */
export function normaliseSurveyCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replaceAll('O', '0').replace(/[IL]/g, '1');
}

/** The registry is keyed by email address; these end in `.invalid` (RFC 2606) and take no mail. */
export const offlineAddressDomain = 'offline.invalid';

/**
 * The registry address of a customer surveyed by phone, fax or post who has no email
 * address: derived from the channel and its number or postal address, so a re-import of the
 * same row updates the same entry.
 */
export function offlineCustomerAddress(channel: OfflineChannel, contact: string): string {
  const normalised =
    channel === 'post'
      ? contact.replace(/\s+/g, ' ').trim().toLowerCase()
      : contact.replace(/[^0-9+]/g, '');
  const digest = createHash('sha256').update(`${channel}\u0000${normalised}`).digest('hex');
  return `${channel}-${digest.slice(0, 16)}@${offlineAddressDomain}`;
}

export function isOfflineAddress(email: string): boolean {
  return email.trim().toLowerCase().endsWith(`@${offlineAddressDomain}`);
}
