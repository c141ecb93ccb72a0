/** The working clock: 08:30–17:30 China time, Monday to Friday, holidays and 调休 as configuration. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingHours,
  chinaDateTime,
  formatChinaTime,
  isWorkingDay,
  noHolidays,
  type WorkingCalendar,
} from '#functions/domain/working-hours.ts';

const at = (iso: string) => new Date(iso);
const add = (start: string, hours: number, calendar: WorkingCalendar = noHolidays) =>
  addWorkingHours(at(start), hours, calendar).toISOString();

describe('addWorkingHours', () => {
  it('counts inside one working day', () => {
    // Monday 2027-01-11 09:00 China time (01:00Z) + 2 h = 11:00.
    expect(add('2027-01-11T01:00:00.000Z', 2)).toBe('2027-01-11T03:00:00.000Z');
  });

  it('starts the clock at 08:30 when the complaint comes in the night', () => {
    // Monday 22:00 China time → Tuesday 08:30 + 4 h = 12:30 (04:30Z).
    expect(add('2027-01-11T14:00:00.000Z', 4)).toBe('2027-01-12T04:30:00.000Z');
    // Tuesday 06:00 China time → 08:30 + 1 h.
    expect(add('2027-01-11T22:00:00.000Z', 1)).toBe('2027-01-12T01:30:00.000Z');
  });

  it('carries what is left of the day over to the next working day, past the weekend', () => {
    // Friday 2027-01-15 16:30 China time + 2 h = 1 h on Friday, 1 h from Monday 08:30 → 09:30.
    expect(add('2027-01-15T08:30:00.000Z', 2)).toBe('2027-01-18T01:30:00.000Z');
    // Saturday counts nothing.
    expect(add('2027-01-16T02:00:00.000Z', 9)).toBe('2027-01-18T09:30:00.000Z');
  });

  it('skips holidays and works on the weekend days moved to work', () => {
    const calendar = { holidays: ['2027-01-18'], workingWeekendDays: ['2027-01-16'] };
    expect(isWorkingDay('2027-01-16', calendar)).toBe(true);
    expect(isWorkingDay('2027-01-18', calendar)).toBe(false);
    // Friday 17:00 + 1 h: half an hour on Friday, then Saturday (a working day) 08:30 + 0.5 h.
    expect(add('2027-01-15T09:00:00.000Z', 1, calendar)).toBe('2027-01-16T01:00:00.000Z');
    // Saturday 17:00 + 1 h: Sunday off, Monday a holiday → Tuesday 09:00.
    expect(add('2027-01-16T09:00:00.000Z', 1, calendar)).toBe('2027-01-19T01:00:00.000Z');
  });

  it('is 17:30 at the end of a whole working day, never the next morning', () => {
    expect(add('2027-01-11T00:30:00.000Z', 9)).toBe('2027-01-11T09:30:00.000Z');
  });

  it('always lands inside working hours and never before the start', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: at('2026-01-01T00:00:00Z'),
          max: at('2028-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 400 }),
        (start, quarterHours) => {
          const due = addWorkingHours(start, quarterHours / 4, noHolidays);
          const local = new Date(due.getTime() + 8 * 3_600_000);
          // Milliseconds into the China day: a start at 09:00:00.001 may end at 08:30:00.001.
          const intoDay =
            due.getTime() +
            8 * 3_600_000 -
            Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
          expect(due.getTime()).toBeGreaterThan(start.getTime());
          expect(intoDay).toBeGreaterThan((8 * 60 + 30) * 60_000);
          expect(intoDay).toBeLessThanOrEqual((17 * 60 + 30) * 60_000);
          expect([0, 6]).not.toContain(local.getUTCDay());
        },
      ),
      // The case that found the millisecond edge, kept so it runs every time.
      { examples: [[at('2028-05-04T01:00:00.001Z'), 394]] },
    );
  });

  it('names the time zone with the time', () => {
    expect(formatChinaTime('2027-01-11T01:30:00.000Z')).toBe('2027-01-11 09:30 (Asia/Shanghai)');
    expect(chinaDateTime('2027-01-11T01:30:00.000Z')).toBe('2027-01-11 09:30');
  });
});
