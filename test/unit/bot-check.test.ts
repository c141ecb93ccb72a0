import { describe, expect, it } from 'vitest';
import { looksAutomated } from '#functions/domain/bot-check.ts';

describe('telling a bot from a person', () => {
  const now = 1_800_000_000_000;
  it('takes a filled-in hidden field for a bot', () => {
    expect(looksAutomated({ website: 'http://spam.example' }, now, 3000)).toBe(true);
    expect(looksAutomated({ website: '  ' }, now, 3000)).toBe(false);
  });

  it('takes a form posted within the minimum time for a bot', () => {
    expect(looksAutomated({ formIssuedAt: String(now - 1000) }, now, 3000)).toBe(true);
    expect(looksAutomated({ formIssuedAt: String(now - 45_000) }, now, 3000)).toBe(false);
  });

  it('cannot judge a post without the time (an old page, a form elsewhere)', () => {
    expect(looksAutomated({ subject: 'x' }, now, 3000)).toBe(false);
    expect(looksAutomated({ formIssuedAt: 'soon' }, now, 3000)).toBe(false);
    expect(looksAutomated(null, now, 3000)).toBe(false);
  });
});
