/**
 * Personal survey links: each invitation carries a token of 32 random bytes (base64url, 43
 * characters). Only its SHA-256 digest is stored, so the table alone cannot answer a survey;
 * the digest is also how the answer finds its invitation. Single use and expiry are checked
 * against the stored record with `checkSurveyToken`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const surveyTokenBytes = 32;

const tokenPattern = /^[A-Za-z0-9_-]{43}$/;
const digestPattern = /^[0-9a-f]{64}$/;

export interface IssuedSurveyToken {
  /** Goes into the link, never into the table. */
  token: string;
  /** SHA-256 of the token, lower-case hex: the only thing stored. */
  digest: string;
  expiresAt: string;
}

/** A fresh token, expiring at `expiresAt` (the campaign's close). */
export function issueSurveyToken(
  expiresAt: Date,
  random: (size: number) => Uint8Array = randomBytes,
): IssuedSurveyToken {
  const bytes = random(surveyTokenBytes);
  if (bytes.length !== surveyTokenBytes) {
    throw new Error(`A survey token needs ${surveyTokenBytes} random bytes`);
  }
  const token = Buffer.from(bytes).toString('base64url');
  return { token, digest: surveyTokenDigest(token), expiresAt: expiresAt.toISOString() };
}

/** Only the shape of a token we issue: anything else is refused before it reaches the table. */
export function isWellFormedSurveyToken(value: string): boolean {
  return tokenPattern.test(value);
}

export function surveyTokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Does `token` hash to `storedDigest`? Compared in constant time. */
export function surveyTokenMatches(token: string, storedDigest: string): boolean {
  if (!isWellFormedSurveyToken(token) || !digestPattern.test(storedDigest)) return false;
  return timingSafeEqual(
    Buffer.from(surveyTokenDigest(token), 'hex'),
    Buffer.from(storedDigest, 'hex'),
  );
}

/** Expired from `expiresAt` on; an unreadable expiry counts as expired. */
export function isSurveyTokenExpired(expiresAt: string, now: Date): boolean {
  const time = Date.parse(expiresAt);
  return Number.isNaN(time) || now.getTime() >= time;
}

/** What the table holds for a token. */
export interface StoredSurveyToken {
  digest: string;
  expiresAt: string;
  /** Set when an answer used the token up. */
  usedAt?: string;
}

export type SurveyTokenRefusal = 'malformed' | 'unknown' | 'used' | 'expired';

export type SurveyTokenCheck = { ok: true } | { ok: false; reason: SurveyTokenRefusal };

/**
 * May `token` answer now? `stored` is the record found by its digest (undefined when none).
 * Used comes before expired: a customer who answered is told so, even after the close.
 */
export function checkSurveyToken(
  token: string,
  stored: StoredSurveyToken | undefined,
  now: Date,
): SurveyTokenCheck {
  if (!isWellFormedSurveyToken(token)) return { ok: false, reason: 'malformed' };
  if (stored === undefined || !surveyTokenMatches(token, stored.digest)) {
    return { ok: false, reason: 'unknown' };
  }
  if (stored.usedAt !== undefined) return { ok: false, reason: 'used' };
  if (isSurveyTokenExpired(stored.expiresAt, now)) return { ok: false, reason: 'expired' };
  return { ok: true };
}
