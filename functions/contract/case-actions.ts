/**
 * The body of `POST /staff/api/complaints/{reference}/actions` (JSON, or the console's form
 * posts): `{ action, version, ...fields }`, each action with its own fields.
 */
import * as z from 'zod/mini';
import type { ActionInput } from '#functions/domain/case-lifecycle.ts';
import { remedyTypes } from '#functions/domain/routing.ts';
import { isStorableNumber, message, oneOf, type ParseResult, parseWith, text } from './fields.ts';

// Built on the first body parsed (z.lazy), not at import.
export const caseActionBody = z.lazy(() => {
  const longText = text(5000, { singleLine: false });
  const reason = text(1000, { singleLine: false });

  // Form posts send numbers as text: both are accepted.
  const numberLike = z.pipe(
    z.union([z.number(), z.string().check(z.trim(), z.regex(/^\d+(\.\d+)?$/))]),
    z.transform((value) => Number(value)),
  );

  const version = z.pipe(
    numberLike,
    z.int(message('A whole number ≥ 0', '须为不小于 0 的整数')).check(z.gte(0), z.lte(1_000_000)),
  );

  const amount = z.pipe(
    numberLike,
    z
      .number()
      .check(
        z.positive(message('Must be more than 0', '须大于 0')),
        z.refine(isStorableNumber, message('Cannot be stored', '无法保存')),
      ),
  );

  const traceField = text(100, { singleLine: true });

  const remedy = z
    .object({
      type: oneOf(remedyTypes),
      amount: z.optional(amount),
      currency: z.optional(
        z
          .string()
          .check(
            z.trim(),
            z.toUpperCase(),
            z.regex(/^[A-Z]{3}$/, message('Three letters (ISO 4217)', '三个字母（ISO 4217）')),
          ),
      ),
    })
    .check(
      z.refine((value) => value.type !== 'compensation' || value.amount !== undefined, {
        message: message('Required for compensation', '赔偿须填写金额'),
        path: ['amount'],
      }),
    );

  return z.discriminatedUnion('action', [
    z.object({ action: z.literal('accept'), version }),
    z.object({ action: z.literal('note'), version, text: longText }),
    z.object({
      action: z.literal('investigate'),
      version,
      rootCause: longText,
      correctiveAction: longText,
      trace: z.optional(
        z.object({
          batchNo: z.optional(traceField),
          productModel: z.optional(traceField),
          orderNo: z.optional(traceField),
          deliveryNoteNo: z.optional(traceField),
          contractNo: z.optional(traceField),
        }),
      ),
    }),
    z.object({
      action: z.literal('propose'),
      version,
      remedy,
      response: z.object({ text: longText }),
    }),
    z.object({ action: z.literal('approve'), version, comment: z.optional(reason) }),
    z.object({ action: z.literal('reject'), version, comment: reason }),
    z.object({ action: z.literal('respond'), version }),
    z.object({ action: z.literal('close'), version, reason }),
    z.object({ action: z.literal('reopen'), version, reason }),
  ]);
});

/** Unknown keys (the form's `csrf`) are dropped; an unknown action is an error on `action`. */
export function parseCaseAction(
  input: unknown,
): ParseResult<{ version: number; input: ActionInput }> {
  const parsed = parseWith(caseActionBody, input);
  if (!parsed.ok) return parsed;
  const { version: expected, ...rest } = parsed.value;
  return { ok: true, value: { version: expected, input: rest } };
}
