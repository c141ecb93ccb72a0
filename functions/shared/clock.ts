/** The company keeps its books, its reference years and its schedules in China time. */
export const businessTimeZone = 'Asia/Shanghai';

/**
 * The time now, for the few stamps that must be read mid-operation (a mail SES accepted
 * seconds after the invocation's `now`). Handlers pass it; nothing below reads the global.
 */
export type Clock = () => Date;

/**
 * China time has been UTC+8 all year since 1991 (its last daylight saving time), so the
 * business year and day are arithmetic on the instant: the first `Intl.DateTimeFormat` in a
 * process loads ICU's data, 14–20 ms of every cold start that built one at import.
 */
const fixedOffsetSince = Date.UTC(1992, 0, 1);
const fixedOffsetUntil = Date.UTC(9999, 11, 31); // a four-digit year for toISOString
const businessOffsetMs = 8 * 60 * 60 * 1000;

// Earlier instants keep the time zone's own rules, read with a format built on first use.
let formats: { year: Intl.DateTimeFormat; day: Intl.DateTimeFormat } | undefined;
function historicFormats() {
  formats ??= {
    year: new Intl.DateTimeFormat('en', { timeZone: businessTimeZone, year: 'numeric' }),
    day: new Intl.DateTimeFormat('en-CA', { timeZone: businessTimeZone }),
  };
  return formats;
}

/** The instant moved to China's wall clock, read with the UTC getters. */
function businessWallClock(at: Date): Date | undefined {
  const time = at.getTime();
  return time >= fixedOffsetSince && time < fixedOffsetUntil
    ? new Date(time + businessOffsetMs)
    : undefined;
}

export function businessYear(at: Date): number {
  const wall = businessWallClock(at);
  return wall ? wall.getUTCFullYear() : Number(historicFormats().year.format(at));
}

export function addSeconds(at: Date, seconds: number): Date {
  return new Date(at.getTime() + seconds * 1000);
}

/** `2026-11-28`: the day in China time. */
export function businessDay(at: Date): string {
  const wall = businessWallClock(at);
  return wall ? wall.toISOString().slice(0, 10) : historicFormats().day.format(at);
}
