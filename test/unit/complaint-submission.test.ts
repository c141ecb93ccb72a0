import { describe, expect, it } from 'vitest';
import {
  draftFromSubmission,
  parseComplaintSubmission,
  parseStaffComplaintEntry,
} from '#functions/contract/complaint-submission.ts';

const valid = {
  customer: { name: ' 张三 ', email: 'zs@example.cn', market: 'domestic', region: '广东省' },
  category: 'quality',
  subject: '  表面白点 ',
  description: '第一行\n第二行',
};

function errorsOf(input: unknown): Record<string, string> {
  const result = parseComplaintSubmission(input);
  if (result.ok) throw new Error('expected a validation failure');
  return result.errors;
}

describe('complaint submission', () => {
  it('trims strings, keeps line breaks in the description and normalises the region', () => {
    const result = parseComplaintSubmission(valid);
    expect(result).toMatchObject({
      ok: true,
      value: {
        customer: { name: '张三', region: 'CN-GD' },
        subject: '表面白点',
        description: '第一行\n第二行',
      },
    });
  });

  it('drops unknown fields at every level', () => {
    const result = parseComplaintSubmission({
      ...valid,
      status: 'closed',
      customer: { ...valid.customer, vip: true },
    });
    expect(result.ok && result.value).not.toHaveProperty('status');
    expect(result.ok && result.value.customer).not.toHaveProperty('vip');
  });

  it.each(['\r', '\n', '\r\n'])('refuses %j inside single-line fields', (lineBreak) => {
    expect(Object.keys(errorsOf({ ...valid, subject: `a${lineBreak}b` }))).toEqual(['subject']);
    expect(
      Object.keys(errorsOf({ ...valid, customer: { ...valid.customer, name: `a${lineBreak}b` } })),
    ).toEqual(['customer.name']);
  });

  it('refuses control characters even where line breaks are allowed', () => {
    expect(Object.keys(errorsOf({ ...valid, description: 'bell\u0007' }))).toEqual(['description']);
  });

  it('bounds lengths', () => {
    expect(errorsOf({ ...valid, subject: 's'.repeat(201) }).subject).toMatch(/At most 200/);
    expect(parseComplaintSubmission({ ...valid, description: 'd'.repeat(5000) }).ok).toBe(true);
  });

  it('treats blank optional fields as absent, as an empty form input is', () => {
    const result = parseComplaintSubmission({
      ...valid,
      customer: { ...valid.customer, company: '  ', phone: '' },
      order: { orderNo: '' },
      claim: { type: '', amount: '' },
    });
    expect(result.ok).toBe(true);
    expect(result.ok && result.value).not.toHaveProperty('order');
    expect(result.ok && result.value).not.toHaveProperty('claim');
    expect(result.ok && result.value.customer).not.toHaveProperty('company');
  });

  it('reads amounts from form text and refuses nonsense', () => {
    const ok = parseComplaintSubmission({
      ...valid,
      claim: { type: 'compensation', amount: '1200.50' },
    });
    expect(ok.ok && ok.value.claim?.amount).toBe(1200.5);
    expect(errorsOf({ ...valid, claim: { type: 'compensation', amount: '-3' } })).toHaveProperty([
      'claim.amount',
    ]);
    expect(errorsOf({ ...valid, claim: { type: 'compensation', amount: 0 } })).toHaveProperty([
      'claim.amount',
    ]);
  });

  it('rejects an unknown category and market with the allowed values', () => {
    const errors = errorsOf({
      ...valid,
      category: 'refund',
      customer: { ...valid.customer, market: 'eu' },
    });
    expect(errors.category).toContain('quality');
    expect(errors['customer.market']).toContain('domestic');
  });

  it('requires an object', () => {
    expect(errorsOf('hello')).toHaveProperty('_');
    expect(errorsOf(null)).toHaveProperty('_');
  });
});

describe('draft from submission', () => {
  const draftOf = (input: unknown) => {
    const result = parseComplaintSubmission(input);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return draftFromSubmission(result.value);
  };

  it('answers domestic customers in Chinese and export customers in English by default', () => {
    expect(draftOf(valid).language).toBe('zh');
    expect(
      draftOf({ ...valid, customer: { ...valid.customer, market: 'export', region: 'us' } })
        .language,
    ).toBe('en');
    expect(draftOf({ ...valid, language: 'en' }).language).toBe('en');
  });

  it('gives a claimed amount the market currency unless one is named', () => {
    expect(draftOf({ ...valid, claim: { type: 'compensation', amount: 10 } }).claim?.currency).toBe(
      'CNY',
    );
    expect(
      draftOf({ ...valid, claim: { type: 'compensation', amount: 10, currency: 'eur' } }).claim
        ?.currency,
    ).toBe('EUR');
  });

  it('marks web submissions and leaves the idempotency key out of the complaint', () => {
    const draft = draftOf({ ...valid, idempotencyKey: 'abcdefgh-1234' });
    expect(draft.channel).toBe('web');
    expect(draft).not.toHaveProperty('idempotencyKey');
  });
});

describe('a complaint keyed in by staff', () => {
  const now = new Date('2027-01-11T02:00:00.000Z');
  const entry = { ...valid, channel: 'letter', receivedAt: '2027-01-10T09:00:00+08:00' };

  it('takes the channel and when it reached us, and a customer without an email address', () => {
    const { email: _none, ...customer } = valid.customer;
    const result = parseStaffComplaintEntry({ ...entry, customer }, now);
    expect(result).toMatchObject({
      ok: true,
      value: { draft: { channel: 'letter', receivedAt: '2027-01-10T01:00:00.000Z' } },
    });
    expect(result.ok && result.value.draft.customer.email).toBeUndefined();
    // The public form still needs the address.
    expect(Object.keys(errorsOf({ ...valid, customer }))).toEqual(['customer.email']);
  });

  it('refuses the web channel, a time without offset and a time in the future', () => {
    const errors = (input: unknown) => {
      const result = parseStaffComplaintEntry(input, now);
      return result.ok ? {} : result.errors;
    };
    expect(Object.keys(errors({ ...entry, channel: 'web' }))).toEqual(['channel']);
    expect(Object.keys(errors({ ...entry, receivedAt: '2027-01-10T09:00:00' }))).toEqual([
      'receivedAt',
    ]);
    expect(Object.keys(errors({ ...entry, receivedAt: '2027-01-12T09:00:00+08:00' }))).toEqual([
      'receivedAt',
    ]);
  });
});
