/** The company keeps its books, its reference years and its schedules in China time. */
export const businessTimeZone = 'Asia/Shanghai';

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
