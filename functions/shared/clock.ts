/** The company keeps its books, its reference years and its schedules in China time. */
export const businessTimeZone = 'Asia/Shanghai';

/**
 * The time now, for the few stamps that must be read mid-operation (a mail SES accepted
 * seconds after the invocation's `now`). Handlers pass it; nothing below reads the global.
 */
export type Clock = () => Date;

export function businessYear(at: Date): number {
  const year = new Intl.DateTimeFormat('en', {
    timeZone: businessTimeZone,
    year: 'numeric',
  }).format(at);
  return Number(year);
}

export function addSeconds(at: Date, seconds: number): Date {
  return new Date(at.getTime() + seconds * 1000);
}

/** `2026-11-28`: the day in China time. */
export function businessDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: businessTimeZone }).format(at);
}
