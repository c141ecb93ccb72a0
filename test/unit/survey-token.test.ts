import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkSurveyToken,
  isSurveyTokenExpired,
  issueSurveyToken,
  isWellFormedSurveyToken,
  type StoredSurveyToken,
  surveyTokenDigest,
  surveyTokenMatches,
} from '#functions/domain/survey-token.ts';

const closes = new Date('2026-02-14T01:00:00.000Z');
const before = new Date('2026-02-01T00:00:00.000Z');

describe('issuing', () => {
  it('encodes 32 random bytes as base64url and keeps only their SHA-256', () => {
    const issued = issueSurveyToken(closes);
    expect(issued.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(issued.token, 'base64url')).toHaveLength(32);
    expect(issued.digest).toBe(createHash('sha256').update(issued.token).digest('hex'));
    expect(issued.digest).not.toContain(issued.token);
    expect(issued.expiresAt).toBe('2026-02-14T01:00:00.000Z');
  });

  it('draws from the given random source', () => {
    const issued = issueSurveyToken(closes, (size) => new Uint8Array(size).fill(0xff));
    expect(issued.token).toBe(`${'_'.repeat(42)}8`);
    expect(() => issueSurveyToken(closes, () => new Uint8Array(16))).toThrow(/32 random bytes/);
  });

  it('never repeats', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => issueSurveyToken(closes).token));
    expect(tokens.size).toBe(200);
  });
});

describe('checking', () => {
  const { token, digest } = issueSurveyToken(closes);
  const stored: StoredSurveyToken = { digest, expiresAt: closes.toISOString() };

  it('matches only its own digest', () => {
    expect(surveyTokenMatches(token, digest)).toBe(true);
    expect(surveyTokenMatches(token, surveyTokenDigest(issueSurveyToken(closes).token))).toBe(
      false,
    );
    expect(surveyTokenMatches(token, 'not-a-digest')).toBe(false);
    expect(surveyTokenMatches(`${token}x`, digest)).toBe(false);
  });

  it.each(['', 'short', `${'a'.repeat(42)}=`, `${'a'.repeat(42)}/`, 'a'.repeat(44), '../../etc'])(
    'calls %j malformed',
    (value) => {
      expect(isWellFormedSurveyToken(value)).toBe(false);
      expect(checkSurveyToken(value, stored, before)).toEqual({ ok: false, reason: 'malformed' });
    },
  );

  it('accepts a known, unused token before the close', () => {
    expect(checkSurveyToken(token, stored, before)).toEqual({ ok: true });
  });

  it('refuses an unknown token, a used one and an expired one', () => {
    const other = issueSurveyToken(closes).token;
    expect(checkSurveyToken(other, undefined, before)).toEqual({ ok: false, reason: 'unknown' });
    expect(checkSurveyToken(other, stored, before)).toEqual({ ok: false, reason: 'unknown' });
    expect(checkSurveyToken(token, { ...stored, usedAt: before.toISOString() }, before)).toEqual({
      ok: false,
      reason: 'used',
    });
    expect(checkSurveyToken(token, stored, closes)).toEqual({ ok: false, reason: 'expired' });
  });

  it('tells a customer who answered that they did, even after the close', () => {
    const used = { ...stored, usedAt: before.toISOString() };
    expect(checkSurveyToken(token, used, new Date('2027-01-01T00:00:00Z'))).toMatchObject({
      reason: 'used',
    });
  });

  it('expires at the expiry time, and treats an unreadable expiry as expired', () => {
    expect(isSurveyTokenExpired(closes.toISOString(), new Date(closes.getTime() - 1))).toBe(false);
    expect(isSurveyTokenExpired(closes.toISOString(), closes)).toBe(true);
    expect(isSurveyTokenExpired('never', before)).toBe(true);
  });
});
