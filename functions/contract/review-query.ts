/** `?from=&to=` of the management-review pack: China-time dates, from ≤ to, at most five years. */
import * as z from 'zod/mini';
import { message, type ParseResult, parseWith } from './fields.ts';

const day = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, message('A date (YYYY-MM-DD)', '日期（YYYY-MM-DD）')),
  z.refine(
    (value) => {
      const time = Date.parse(`${value}T00:00:00Z`);
      return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
    },
    message('Not a real date', '日期无效'),
  ),
);

const query = z.lazy(() => z.object({ from: z.optional(day), to: z.optional(day) }));

/** Without dates: the last calendar year before `now` (the usual management-review period). */
export function parseReviewQuery(
  input: unknown,
  now: Date,
): ParseResult<{ from: string; to: string }> {
  const parsed = parseWith(query, input ?? {});
  if (!parsed.ok) return parsed;
  const lastYear = now.getUTCFullYear() - 1;
  const from = parsed.value.from ?? `${lastYear}-01-01`;
  const to = parsed.value.to ?? `${lastYear}-12-31`;
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (days < 0 || days > 5 * 366) {
    return {
      ok: false,
      errors: {
        from: message(
          'From must be on or before to, within five years',
          '起始日期须不晚于结束日期，且相隔不超过五年',
        ),
      },
    };
  }
  return { ok: true, value: { from, to } };
}
