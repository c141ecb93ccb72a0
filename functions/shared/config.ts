/** Settings from the environment, read when first needed so a missing one names itself. */
import * as z from 'zod/mini';
import { type SettingName, settingDefault, settingSchema } from '#functions/wiring.ts';
export function requiredSetting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

export function numberSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`Environment variable ${name} is not a number`);
  return value;
}

/**
 * A setting the wiring declares, read with its schema there: the environment's value (the
 * stage's or the wiring's, as `environmentFor` set it), else the wiring's default.
 */
export function setting(name: SettingName): number {
  const raw = process.env[name] || settingDefault(name);
  const parsed = z.safeParse(settingSchema(name), raw);
  if (!parsed.success) {
    throw new Error(
      `Environment variable ${name} is not valid: ${parsed.error.issues[0]?.message}`,
    );
  }
  return parsed.data;
}
