import { describe, expect, it } from 'vitest';
import { cronMatches, parseCron, rateMilliseconds } from '#infra/local/scheduler.ts';

describe('local schedule expressions', () => {
  it('reads rate expressions', () => {
    expect(rateMilliseconds('rate(5 minutes)')).toBe(300_000);
    expect(rateMilliseconds('rate(1 hour)')).toBe(3_600_000);
    expect(rateMilliseconds('cron(0 9 * * ? *)')).toBeUndefined();
  });

  it('matches a yearly cron in its time zone, not UTC', () => {
    const cron = parseCron('cron(0 9 15 1 ? *)');
    if (!cron) throw new Error('did not parse');
    // 09:00 in Shanghai is 01:00 UTC.
    expect(cronMatches(cron, new Date('2027-01-15T01:00:00Z'), 'Asia/Shanghai')).toBe(true);
    expect(cronMatches(cron, new Date('2027-01-15T09:00:00Z'), 'Asia/Shanghai')).toBe(false);
    expect(cronMatches(cron, new Date('2027-01-16T01:00:00Z'), 'Asia/Shanghai')).toBe(false);
  });

  it('reads lists, ranges, steps and day names', () => {
    const cron = parseCron('cron(0/15 8-17 ? * MON-FRI *)');
    if (!cron) throw new Error('did not parse');
    // 2026-11-30 is a Monday.
    expect(cronMatches(cron, new Date('2026-11-30T02:45:00Z'), 'Asia/Shanghai')).toBe(true);
    expect(cronMatches(cron, new Date('2026-11-29T02:45:00Z'), 'Asia/Shanghai')).toBe(false);
    expect(cronMatches(cron, new Date('2026-11-30T02:44:00Z'), 'Asia/Shanghai')).toBe(false);
  });

  it('refuses what it cannot run', () => {
    expect(parseCron('cron(0 9 L * ? *)')).toBeUndefined();
    expect(parseCron('cron(0 9 * *)')).toBeUndefined();
  });
});
