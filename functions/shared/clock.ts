/** The company keeps its books, its reference years and its schedules in China time. */
export const businessTimeZone = 'Asia/Shanghai';

/**
 * The time now, for the few stamps that must be read mid-operation (a mail SES accepted
 * seconds after the invocation's `now`). Handlers pass it; nothing below reads the global.
 */
export type Clock = () => Date;

// Made once: a DateTimeFormat costs far more to build than to use (profiled per complaint).
const yearFormat = new Intl.DateTimeFormat('en', { timeZone: businessTimeZone, year: 'numeric' });
const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: businessTimeZone });

export function businessYear(at: Date): number {
  return Number(yearFormat.format(at));
}

export function addSeconds(at: Date, seconds: number): Date {
  return new Date(at.getTime() + seconds * 1000);
}

/** `2026-11-28`: the day in China time. */
export function businessDay(at: Date): string {
  return dayFormat.format(at);
}
