/**
 * The company's working clock: due dates count working hours in China time, 08:30–17:30,
 * Monday to Friday, minus holidays, plus the weekend days China moves work to (调休).
 * A complaint at 22:00 with four hours to answer is due at 12:30 the next working day.
 */

/** The working day's shape; the company works nine hours a day. */
export const workingDay = { startMinute: 8 * 60 + 30, endMinute: 17 * 60 + 30 } as const;

/** The days off and the days on, as `YYYY-MM-DD` dates in China time (stage configuration). */
export interface WorkingCalendar {
  holidays: readonly string[];
  /** Weekend days that are working days (调休). */
  workingWeekendDays: readonly string[];
}

export const noHolidays: WorkingCalendar = { holidays: [], workingWeekendDays: [] };

// Asia/Shanghai has had no daylight saving since 1991: a fixed offset is exact and needs no tz data.
const offsetMs = 8 * 3_600_000;
const minuteMs = 60_000;
const dayMs = 86_400_000;

/** `YYYY-MM-DD` of a "local" time (UTC fields carry China wall-clock time). */
function dateOf(local: number): string {
  return new Date(local).toISOString().slice(0, 10);
}

export function isWorkingDay(date: string, calendar: WorkingCalendar): boolean {
  if (calendar.holidays.includes(date)) return false;
  if (calendar.workingWeekendDays.includes(date)) return true;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The instant `hours` working hours after `start`. Zero hours from outside work is the next opening. */
export function addWorkingHours(start: Date, hours: number, calendar: WorkingCalendar): Date {
  if (!Number.isFinite(hours) || hours < 0) throw new Error('Working hours must be a number ≥ 0');
  let remaining = Math.round(hours * 60) * minuteMs;
  let local = start.getTime() + offsetMs;
  // A year of holidays cannot stop the loop: each turn moves a day on.
  for (let guard = 0; guard < 3660; guard++) {
    const midnight = Math.floor(local / dayMs) * dayMs;
    const opens = midnight + workingDay.startMinute * minuteMs;
    const closes = midnight + workingDay.endMinute * minuteMs;
    if (!isWorkingDay(dateOf(midnight), calendar) || local >= closes) {
      local = midnight + dayMs + workingDay.startMinute * minuteMs;
      continue;
    }
    if (local < opens) local = opens;
    const left = closes - local;
    if (remaining <= left) return new Date(local + remaining - offsetMs);
    remaining -= left;
    local = midnight + dayMs + workingDay.startMinute * minuteMs;
  }
  throw new Error('No working day within ten years: check the holiday calendar');
}

/** `2027-01-11 09:30 (Asia/Shanghai)`: staff mail names the time zone with every time. */
export function formatChinaTime(at: string | Date): string {
  return `${chinaDateTime(at)} (Asia/Shanghai)`;
}

/** `2027-01-11 09:30`, China time, for a column whose heading names the zone once. */
export function chinaDateTime(at: string | Date): string {
  const local = new Date(new Date(at).getTime() + offsetMs).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}
