/**
 * Idempotency keys at the boundary: the `Idempotency-Key` header of API clients, or the
 * hidden `idempotencyKey` field a console form carries (one per form shown), the header first.
 */
import * as z from 'zod/mini';
import { message } from './fields.ts';

// Built on first use (z.lazy), not at import: most functions parse no key.
export const idempotencyKeySchema = z.lazy(() =>
  z
    .string()
    .check(
      z.trim(),
      z.regex(
        /^[A-Za-z0-9._:-]{8,128}$/,
        message('8–128 letters, digits or ._:-', '须为 8–128 位字母、数字或 ._:-'),
      ),
    ),
);

const formField = z.lazy(() => z.object({ idempotencyKey: z.optional(z.string()) }));

/** The request's key: absent when none was sent, `invalid` when one was sent malformed. */
export function idempotencyKeyOf(
  headerValue: string | undefined,
  body?: unknown,
): { ok: true; key?: string } | { ok: false } {
  const field = z.safeParse(formField, body);
  const given = headerValue ?? (field.success ? field.data.idempotencyKey : undefined);
  if (given === undefined) return { ok: true };
  const parsed = z.safeParse(idempotencyKeySchema, given);
  return parsed.success ? { ok: true, key: parsed.data } : { ok: false };
}
