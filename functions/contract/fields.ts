/**
 * Building blocks for boundary schemas: every string is trimmed and bounded, and anything
 * that could reach an email header is kept to one line. Messages are bilingual because the
 * same words reach API clients and the people filling in the form.
 */
import * as z from 'zod/mini';
import type { Market } from '../domain/complaint.ts';
import { regionCode } from '../domain/regions.ts';

export function message(en: string, zh: string): string {
  return `${en} / ${zh}`;
}

// The fallback for any check without its own words.
z.config({ customError: () => message('Invalid value', '值无效') });

const lineBreak = /[\r\n]/;
// Control characters other than tab and line breaks never belong in customer text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const controlCharacter = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const required = message('Required', '必填');

export function text(maxLength: number, options: { singleLine: boolean }) {
  return z.string(required).check(
    z.trim(),
    z.minLength(1, required),
    z.maxLength(maxLength, message(`At most ${maxLength} characters`, `最多 ${maxLength} 个字符`)),
    z.refine(
      (value) => !controlCharacter.test(value),
      message('Contains control characters', '含有控制字符'),
    ),
    z.refine(
      (value) => !(options.singleLine && lineBreak.test(value)),
      message('Must be a single line', '不能换行'),
    ),
  );
}

export function oneOf<const T extends readonly string[]>(values: T) {
  return z.enum(
    values,
    message(`Must be one of: ${values.join(', ')}`, `须为以下之一：${values.join('、')}`),
  );
}

export const emailAddress = z
  .string(required)
  .check(
    z.trim(),
    z.maxLength(254, message('At most 254 characters', '最多 254 个字符')),
    z.regex(z.regexes.email, message('Not a valid email address', '邮箱地址无效')),
  );

/**
 * Form fields arrive as strings: an empty input means "not given", as absence does in JSON,
 * and a group of fields left all empty (an unused fieldset) is not given either.
 */
export function dropBlankStrings(value: unknown): unknown {
  return dropBlank(value) ?? (isPlainObject(value) ? {} : undefined);
}

function dropBlank(value: unknown): unknown {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (Array.isArray(value)) return value.map(dropBlank);
  if (isPlainObject(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const kept = dropBlank(inner);
      if (kept !== undefined) result[key] = kept;
    }
    return Object.keys(result).length > 0 ? result : undefined;
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export type FieldErrors = Record<string, string>;

/** One message per dotted field path (`customer.email`), the first that applies. */
export function fieldErrors(error: z.core.$ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '_';
    errors[path] ??= issue.message;
  }
  return errors;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export function parseWith<S extends z.core.$ZodType>(
  schema: S,
  input: unknown,
): ParseResult<z.output<S>> {
  const result = z.safeParse(schema, dropBlankStrings(input));
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: fieldErrors(result.error) };
}

/**
 * Replaces the typed region with its code (`广东` → `CN-GD`, `de` → `DE`), or reports it on
 * the `region` field: for a transform after an object with `market` and `region`.
 */
export function withRegionCode<T extends { market: Market; region: string }>(
  value: T,
  context: z.core.ParsePayload,
): T {
  const region = regionCode(value.market, value.region);
  if (region !== undefined) return { ...value, region };
  context.issues.push({
    code: 'custom',
    input: value.region,
    path: ['region'],
    message:
      value.market === 'domestic'
        ? message(
            'Not a Chinese province (e.g. 广东 or CN-GD)',
            '不是有效的省份（如 广东 或 CN-GD）',
          )
        : message('Not an ISO country code (e.g. DE)', '不是有效的国家代码（如 DE）'),
  });
  return z.NEVER;
}
