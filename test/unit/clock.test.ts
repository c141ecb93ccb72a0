import { describe, expect, it } from 'vitest';
import { businessDay, businessTimeZone, businessYear } from '#functions/shared/clock.ts';

/** What the time zone's own rules say, as the functions computed it before. */
const byIntl = (at: Date) => ({
  year: Number(
    new Intl.DateTimeFormat('en', { timeZone: businessTimeZone, year: 'numeric' }).format(at),
  ),
  day: new Intl.DateTimeFormat('en-CA', { timeZone: businessTimeZone }).format(at),
});

describe('business year and day (China time)', () => {
  it('turn at midnight in Shanghai, 16:00 UTC', () => {
    expect(businessYear(new Date('2026-12-31T15:59:59.999Z'))).toBe(2026);
    expect(businessYear(new Date('2026-12-31T16:00:00.000Z'))).toBe(2027);
    expect(businessDay(new Date('2026-11-28T15:59:59.999Z'))).toBe('2026-11-28');
    expect(businessDay(new Date('2026-11-28T16:00:00.000Z'))).toBe('2026-11-29');
  });

  it('agree with the time zone database, before the fixed offset too', () => {
    const instants = [
      '1940-06-01T12:00:00Z', // China's wartime daylight saving time
      '1988-07-31T15:30:00Z', // the last years of daylight saving time (1986–1991)
      '1991-09-14T15:30:00Z',
      '1991-12-31T15:59:59Z',
      '1991-12-31T16:00:00Z',
      '1992-01-01T00:00:00Z',
      '2000-02-29T16:00:00Z',
      '2038-01-19T03:14:08Z',
    ].map((iso) => new Date(iso));
    // A day's worth of steps over a few decades, every hour of the day.
    for (let step = 0; step < 2000; step++) {
      instants.push(new Date(Date.UTC(1990, 0, 1) + step * (5 * 86_400_000 + 3_600_000 + 61_000)));
    }
    for (const at of instants) {
      expect({ year: businessYear(at), day: businessDay(at) }, at.toISOString()).toEqual(
        byIntl(at),
      );
    }
  });

  it('refuse an invalid date as before', () => {
    expect(() => businessYear(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => businessDay(new Date(Number.NaN))).toThrow(RangeError);
  });
});
