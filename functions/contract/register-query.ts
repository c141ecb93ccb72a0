/** The register's and statistics' query string, parsed at the boundary. */
import * as z from 'zod/mini';
import { categories, markets, statuses } from '#functions/domain/complaint.ts';
import { departmentCodes } from '#functions/domain/departments.ts';
import { chinaDate, type RegisterQuery, shiftMonth } from '#functions/domain/register.ts';

const day = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/),
  // A real calendar day: 2026-02-30 does not come back as itself.
  z.refine((value) => {
    const parsed = Date.parse(`${value}T00:00:00Z`);
    return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === value;
  }),
);

const querySchema = z.lazy(() =>
  z.object({
    from: z.optional(day),
    to: z.optional(day),
    department: z.optional(z.enum(departmentCodes)),
    category: z.optional(z.enum(categories)),
    status: z.optional(z.enum(statuses)),
    market: z.optional(z.enum(markets)),
    region: z.optional(z.string().check(z.regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/))),
    productModel: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    cursor: z.optional(z.string().check(z.maxLength(400), z.regex(/^[A-Za-z0-9_-]+$/))),
    limit: z.optional(z.string().check(z.regex(/^([1-9]|[1-9][0-9]|[1-4][0-9][0-9]|500)$/))),
    format: z.optional(z.enum(['json', 'csv', 'xlsx'])),
    lang: z.optional(z.enum(['zh', 'en'])),
  }),
);

export type ParsedRegisterQuery = RegisterQuery & {
  cursor?: string;
  limit: number;
  format?: 'json' | 'csv' | 'xlsx';
  lang: 'zh' | 'en';
};

/** At most five years a query: 60 month partitions. */
const maxDays = 5 * 366;

/** Empty fields (a form's "all") count as absent. Default period: the twelve months to today. */
export function parseRegisterQuery(
  raw: Record<string, string | undefined> | null,
  now: Date,
): { ok: true; value: ParsedRegisterQuery } | { ok: false; fields: Record<string, string> } {
  const present = Object.fromEntries(
    Object.entries(raw ?? {}).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = z.safeParse(querySchema, present);
  if (!parsed.success) {
    return {
      ok: false,
      fields: Object.fromEntries(
        parsed.error.issues.map((issue) => [issue.path.join('.'), 'Invalid value']),
      ),
    };
  }
  const q = parsed.data;
  const today = chinaDate(now.toISOString());
  const to = q.to ?? today;
  const from = q.from ?? `${shiftMonth(to.slice(0, 7), -11)}-01`;
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (days < 0 || days > maxDays) {
    return { ok: false, fields: { from: 'From must be on or before to, within five years' } };
  }
  return {
    ok: true,
    value: {
      from,
      to,
      filter: {
        ...(q.department ? { department: q.department } : {}),
        ...(q.category ? { category: q.category } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.market ? { market: q.market } : {}),
        ...(q.region ? { region: q.region } : {}),
        ...(q.productModel ? { productModel: q.productModel } : {}),
      },
      ...(q.cursor ? { cursor: q.cursor } : {}),
      limit: Number(q.limit ?? 50),
      ...(q.format ? { format: q.format } : {}),
      lang: q.lang ?? 'zh',
    },
  };
}

/** The query string of a query (for links: next page, exports), without the cursor. */
export function queryString(query: RegisterQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ from: query.from, to: query.to });
  for (const [name, value] of Object.entries(query.filter)) {
    if (value !== undefined) params.set(name, value);
  }
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  return params.toString();
}
