/**
 * The local EventBridge Scheduler: runs each scheduled function of the wiring description on
 * its `rate(…)` or `cron(…)` expression in its time zone, with the input Scheduler sends.
 */
import { randomUUID } from 'node:crypto';
import { scheduleInput } from '#functions/contract/messages.ts';
import type { LocalFunction } from './lambda-runtime.ts';

export interface LocalSchedule {
  name: string;
  target: LocalFunction;
  fire(at?: Date): Promise<unknown>;
}

export function schedulesOf(functions: LocalFunction[]): LocalSchedule[] {
  return functions.flatMap((target) => {
    const trigger = target.spec.trigger;
    if (trigger.kind !== 'schedule') return [];
    return [
      {
        name: trigger.name,
        target,
        fire: (at = new Date()) =>
          target.invoke(scheduleInput(trigger.name, at.toISOString(), randomUUID())),
      },
    ];
  });
}

/** Starts the clocks; returns a function that stops them. */
export function startClock(
  schedules: LocalSchedule[],
  onError: (message: string, error: unknown) => void,
): () => void {
  const timers: NodeJS.Timeout[] = [];
  for (const schedule of schedules) {
    const trigger = schedule.target.spec.trigger;
    if (trigger.kind !== 'schedule') continue;
    const run = (at: Date) => {
      schedule
        .fire(at)
        .catch((error: unknown) => onError(`schedule ${schedule.name} failed`, error));
    };
    const everyMs = rateMilliseconds(trigger.expression);
    if (everyMs !== undefined) {
      timers.push(setInterval(() => run(new Date()), everyMs));
      continue;
    }
    const cron = parseCron(trigger.expression);
    if (!cron) {
      onError(`schedule ${schedule.name}: unsupported expression ${trigger.expression}`, undefined);
      continue;
    }
    let lastMinute = '';
    timers.push(
      setInterval(() => {
        const now = new Date();
        const minute = now.toISOString().slice(0, 16);
        if (minute !== lastMinute && cronMatches(cron, now, trigger.timezone)) run(now);
        lastMinute = minute;
      }, 15_000),
    );
  }
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}

const units: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function rateMilliseconds(expression: string): number | undefined {
  const match = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (!match) return undefined;
  return Number(match[1]) * (units[match[2] as string] as number);
}

type Field = Set<number> | 'any';
export interface Cron {
  minutes: Field;
  hours: Field;
  daysOfMonth: Field;
  months: Field;
  daysOfWeek: Field;
  years: Field;
}

const dayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const monthNames = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
];

/** EventBridge's six-field cron (minutes hours day-of-month month day-of-week year); no L, W or #. */
export function parseCron(expression: string): Cron | undefined {
  const match = /^cron\((.+)\)$/.exec(expression);
  const parts = match?.[1]?.trim().split(/\s+/);
  if (parts?.length !== 6) return undefined;
  const [minutes, hours, daysOfMonth, months, daysOfWeek, years] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const fields = [
    parseField(minutes, 0, 59),
    parseField(hours, 0, 23),
    parseField(daysOfMonth, 1, 31),
    parseField(months, 1, 12, monthNames, 1),
    parseField(daysOfWeek, 1, 7, dayNames, 1),
    parseField(years, 1970, 2199),
  ];
  if (fields.some((field) => field === undefined)) return undefined;
  const [m, h, dom, mon, dow, y] = fields as Field[];
  return {
    minutes: m as Field,
    hours: h as Field,
    daysOfMonth: dom as Field,
    months: mon as Field,
    daysOfWeek: dow as Field,
    years: y as Field,
  };
}

function parseField(
  text: string,
  min: number,
  max: number,
  names: string[] = [],
  nameBase = 0,
): Field | undefined {
  if (text === '*' || text === '?') return 'any';
  const values = new Set<number>();
  const value = (token: string) => {
    const named = names.indexOf(token.toUpperCase());
    return named >= 0 ? named + nameBase : Number(token);
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [startText, endText] = (range ?? '').split('-');
    const start = range === '*' ? min : value(startText ?? '');
    const end =
      range === '*' || (stepText !== undefined && endText === undefined)
        ? max
        : endText === undefined
          ? start
          : value(endText);
    if (![start, end, step].every(Number.isInteger) || start < min || end > max || step < 1)
      return undefined;
    for (let current = start; current <= end; current += step) values.add(current);
  }
  return values;
}

const has = (field: Field, value: number) => field === 'any' || field.has(value);

export function cronMatches(cron: Cron, at: Date, timeZone: string): boolean {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const weekday = dayNames.indexOf(String(parts.weekday).toUpperCase()) + 1;
  return (
    has(cron.minutes, Number(parts.minute)) &&
    has(cron.hours, Number(parts.hour)) &&
    has(cron.daysOfMonth, Number(parts.day)) &&
    has(cron.months, Number(parts.month)) &&
    has(cron.daysOfWeek, weekday) &&
    has(cron.years, Number(parts.year))
  );
}
