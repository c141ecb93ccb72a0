/**
 * Building blocks for boundary schemas: every string is trimmed and bounded, and anything
 * that could reach an email header is kept to one line. Messages are bilingual because the
 * same words reach API clients and the people filling in the form.
 */
import * as z from 'zod/mini';
import type { Market } from '#functions/domain/complaint.ts';
import { regionCode } from '#functions/domain/regions.ts';
import { emptyRecord, isPrototypeKey, maxNestingDepth } from './plain-data.ts';

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
    // A lone UTF-16 surrogate (`"\ud800"` in JSON) is no character: it cannot be mailed or stored.
    z.refine(
      (value) => value.isWellFormed(),
      message('Contains invalid characters', '含有无效字符'),
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

// Built on first use (z.lazy), like the schemas made of it.
export const emailAddress = z.lazy(() =>
  z
    .string(required)
    .check(
      z.trim(),
      z.maxLength(254, message('At most 254 characters', '最多 254 个字符')),
      z.regex(z.regexes.email, message('Not a valid email address', '邮箱地址无效')),
    ),
);

/**
 * Form fields arrive as strings: an empty input means "not given", as absence does in JSON,
 * and a group of fields left all empty (an unused fieldset) is not given either. The copy is
 * made of records without a prototype and leaves out prototype keys, so validation reads only
 * what was sent, never an inherited field; nesting past `maxNestingDepth` is refused.
 */
export function dropBlankStrings(value: unknown): unknown {
  return dropBlank(value, 0) ?? (isPlainObject(value) ? emptyRecord() : undefined);
}

class NestedTooDeeply extends Error {}

function dropBlank(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= maxNestingDepth) throw new NestedTooDeeply();
  if (Array.isArray(value)) return value.map((inner) => dropBlank(inner, depth + 1));
  const result = emptyRecord();
  let kept = 0;
  for (const [key, inner] of Object.entries(value)) {
    if (isPrototypeKey(key)) continue;
    const innerKept = dropBlank(inner, depth + 1);
    if (innerKept === undefined) continue;
    result[key] = innerKept;
    kept += 1;
  }
  return kept > 0 ? result : undefined;
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
  let cleaned: unknown;
  try {
    cleaned = dropBlankStrings(input);
  } catch (error) {
    if (!(error instanceof NestedTooDeeply)) throw error;
    return { ok: false, errors: { _: message('Nested too deeply', '嵌套层级过深') } };
  }
  const result = z.safeParse(schema, cleaned);
  if (!result.success) return { ok: false, errors: fieldErrors(result.error) };
  // A safety net under every schema: whatever passed is something the table can hold.
  const unstorable = unstorablePath(result.data);
  if (unstorable !== undefined) {
    return { ok: false, errors: { [unstorable || '_']: message('Cannot be stored', '无法保存') } };
  }
  return { ok: true, value: result.data };
}

/**
 * DynamoDB stores numbers from 1e-130 to just under 1e126 in magnitude, and the SDK refuses
 * any beyond ±2^53 - 1 rather than lose digits: a JSON number may be neither (`1e-200`, `5e-324`).
 */
export function isStorableNumber(value: number): boolean {
  const magnitude = Math.abs(value);
  return (
    Number.isFinite(value) &&
    (magnitude === 0 || (magnitude >= 1e-130 && magnitude <= Number.MAX_SAFE_INTEGER))
  );
}

/** The dotted path of the first number or string the table cannot hold ('' for the root). */
function unstorablePath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'number') return isStorableNumber(value) ? undefined : path;
  if (typeof value === 'string') return value.isWellFormed() ? undefined : path;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = unstorablePath(inner, path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
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
