/**
 * Times as the customer reads them: in their own time zone, with the zone named. Domestic
 * customers are in China Standard Time; an export customer's country gives the zone when the
 * whole country keeps one clock, and UTC (named as such) where it does not (US, Russia, …).
 */
import type { Customer, Language } from '#functions/domain/complaint.ts';

declare global {
  namespace Intl {
    interface Locale {
      /** ECMA-402 Intl Locale Info (Node 24); TypeScript 5.9's lib does not declare it yet. */
      getTimeZones(): string[] | undefined;
    }
  }
}

export const chinaTimeZone = 'Asia/Shanghai';

export function customerTimeZone(customer: Pick<Customer, 'market' | 'region'>, now: Date): string {
  if (customer.market === 'domestic') return chinaTimeZone;
  return countryTimeZone(customer.region, now) ?? 'UTC';
}

/** The country's zone when all its zones keep the same offset (now and in both halves of the year). */
export function countryTimeZone(countryCode: string, now: Date): string | undefined {
  let zones: string[];
  try {
    zones = new Intl.Locale(`und-${countryCode}`).getTimeZones() ?? [];
  } catch {
    return undefined;
  }
  const first = zones[0];
  if (first === undefined) return undefined;
  const year = now.getUTCFullYear();
  const instants = [now, new Date(Date.UTC(year, 0, 15)), new Date(Date.UTC(year, 6, 15))];
  const offsets = (zone: string) => instants.map((instant) => offsetName(zone, instant)).join();
  const reference = offsets(first);
  return zones.every((zone) => offsets(zone) === reference) ? first : undefined;
}

function offsetName(timeZone: string, instant: Date): string {
  return (
    new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(instant)
      .find((part) => part.type === 'timeZoneName')?.value ?? ''
  );
}

const locales: Record<Language, string> = { zh: 'zh-CN', en: 'en-GB' };

/** `28 November 2026, 22:22 (Central European Standard Time)` / `2026年11月28日 22:22（中国标准时间）`. */
export function formatLocalTime(iso: string, language: Language, timeZone: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  const locale = locales[language];
  const time = new Intl.DateTimeFormat(locale, {
    timeZone,
    dateStyle: 'long',
    timeStyle: 'short',
  }).format(instant);
  const zone =
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'long' })
      .formatToParts(instant)
      .find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
  return language === 'zh' ? `${time}（${zone}）` : `${time} (${zone})`;
}

/** The day alone, for "by when" promises: `2 December 2026` / `2026年12月2日`. */
export function formatLocalDate(iso: string, language: Language, timeZone: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  return new Intl.DateTimeFormat(locales[language], { timeZone, dateStyle: 'long' }).format(
    instant,
  );
}
