/**
 * On-site service and technical support (issue 15): for `onsite_service` and
 * `technical_support` complaints the owner schedules a visit (a day, a time window in the
 * outlet's time, who goes, the contact on site); the outlet reports it through a personal
 * link; a visit still unreported one working day after its window reminds the outlet and
 * the owner once. Pure rules: times, the reminder's due time and the calendar file.
 */
import type { Category } from './complaint.ts';
import { addWorkingHours, type WorkingCalendar, workingDay } from './working-hours.ts';

export const visitCategories: readonly Category[] = ['onsite_service', 'technical_support'];

export function allowsVisit(category: Category): boolean {
  return visitCategories.includes(category);
}

export const defaultVisitTimeZone = 'Asia/Shanghai';

/** Milliseconds `timeZone` is ahead of UTC at `at` (from Intl, so daylight saving is right). */
function zoneOffsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const wall = Date.UTC(
    value('year'),
    value('month') - 1,
    value('day'),
    value('hour'),
    value('minute'),
    value('second'),
  );
  return wall - Math.floor(at / 1000) * 1000;
}

/** The instant of wall-clock `date` `time` (`YYYY-MM-DD`, `HH:MM`) in `timeZone`. */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const guess = Date.parse(`${date}T${time}:00Z`);
  if (Number.isNaN(guess)) throw new Error('A visit needs a date and a time');
  const first = guess - zoneOffsetMs(guess, timeZone);
  // Once more at the found instant, for a window that crosses a daylight-saving change.
  return new Date(guess - zoneOffsetMs(first, timeZone));
}

export interface VisitWindow {
  startsAt: string;
  endsAt: string;
}

/** The window as instants; undefined when it ends before it starts. */
export function visitWindow(
  date: string,
  from: string,
  to: string,
  timeZone: string,
): VisitWindow | undefined {
  const startsAt = zonedInstant(date, from, timeZone);
  const endsAt = zonedInstant(date, to, timeZone);
  if (endsAt.getTime() <= startsAt.getTime()) return undefined;
  return { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() };
}

/** Hours in one working day (08:30–17:30). */
const workingDayHours = (workingDay.endMinute - workingDay.startMinute) / 60;

/** When an unreported visit reminds: one working day after its window ends. */
export function visitReminderDueAt(endsAt: string, calendar: WorkingCalendar): string {
  return addWorkingHours(new Date(endsAt), workingDayHours, calendar).toISOString();
}

export interface CalendarEntry {
  uid: string;
  startsAt: string;
  endsAt: string;
  stampedAt: string;
  summary: string;
  description: string;
  location?: string;
}

/** `20270111T013000Z`: RFC 5545 UTC date-time. */
function icsTime(iso: string): string {
  return `${iso.slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** RFC 5545 §3.3.11 TEXT: backslash, semicolon and comma escaped, line breaks as `\n`. */
function icsText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** RFC 5545 §3.1: lines longer than 75 octets are folded (CRLF and one space), never inside a character. */
function fold(line: string): string {
  const encoder = new TextEncoder();
  const pieces: string[] = [];
  let current = '';
  for (const character of line) {
    const limit = pieces.length === 0 ? 75 : 74;
    if (encoder.encode(current + character).length > limit) {
      pieces.push(current);
      current = character;
    } else current += character;
  }
  pieces.push(current);
  return pieces.join('\r\n ');
}

/**
 * The appointment as an iCalendar file (text/calendar). Written by hand: one VEVENT in UTC
 * is a dozen lines of RFC 5545, and the calendar libraries on npm bring time-zone databases
 * and several times our whole bundle for it.
 */
export function visitCalendar(entry: CalendarEntry): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Aftercare//On-site visit//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${entry.uid}`,
    `DTSTAMP:${icsTime(entry.stampedAt)}`,
    `DTSTART:${icsTime(entry.startsAt)}`,
    `DTEND:${icsTime(entry.endsAt)}`,
    `SUMMARY:${icsText(entry.summary)}`,
    `DESCRIPTION:${icsText(entry.description)}`,
    ...(entry.location ? [`LOCATION:${icsText(entry.location)}`] : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
