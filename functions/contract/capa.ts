/**
 * The bodies of `POST /staff/api/capa` (a new CAPA) and `POST /staff/api/capa/{reference}/actions`
 * (one step), as JSON or as the console's form posts. Forms send planned actions as
 * `actions.0.description`, … and the linked complaints as one comma-separated field; both
 * shapes are accepted.
 */
import * as z from 'zod/mini';
import {
  type CapaStepInput,
  capaSources,
  capaTypes,
  type NewCapa,
} from '#functions/domain/capa.ts';
import { categories, isReference } from '#functions/domain/complaint.ts';
import { departmentCodes } from '#functions/domain/departments.ts';
import { message, oneOf, type ParseResult, parseWith, text } from './fields.ts';

/** A form's `{ "0": {…}, "1": {…} }` is the list it stands for, in index order. */
function asList(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.entries(value);
  if (!entries.every(([key]) => /^\d{1,2}$/.test(key))) return value;
  return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, inner]) => inner);
}

// The schemas are built on the first body parsed (z.lazy), not at import.
function buildParts() {
  const longText = text(5000, { singleLine: false });
  const shortText = text(200, { singleLine: true });

  const isoDate = z.string().check(
    z.trim(),
    z.regex(/^\d{4}-\d{2}-\d{2}$/, message('A date (YYYY-MM-DD)', '日期（YYYY-MM-DD）')),
    z.refine(
      (value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && value.slice(0, 4) >= '2000',
      message('Not a real date', '日期无效'),
    ),
  );

  const plannedAction = z.object({
    description: text(1000, { singleLine: false }),
    department: oneOf(departmentCodes),
    dueDate: isoDate,
  });

  const plannedActions = z.pipe(
    z.transform(asList),
    z
      .array(plannedAction)
      .check(
        z.minLength(1, message('At least one action', '至少一项措施')),
        z.maxLength(20, message('At most 20 actions', '最多 20 项措施')),
      ),
  );

  const complaintReference = z
    .string()
    .check(
      z.trim(),
      z.refine(isReference, message('A complaint reference (FB-YYYY-NNNNNN)', '投诉编号无效')),
    );

  /** `"FB-2026-000001, FB-2026-000002"` or a JSON list. */
  const complaintList = z.pipe(
    z.transform((value: unknown) =>
      typeof value === 'string'
        ? value
            .split(/[\s,，;；]+/)
            .map((part) => part.trim())
            .filter(Boolean)
        : value,
    ),
    z.array(complaintReference).check(z.maxLength(50, message('At most 50', '最多 50 个'))),
  );
  return { longText, shortText, isoDate, plannedActions, complaintList };
}
let builtParts: ReturnType<typeof buildParts> | undefined;
const parts = () => {
  builtParts ??= buildParts();
  return builtParts;
};

const createBody = z.lazy(() => {
  const { longText, shortText, isoDate, plannedActions, complaintList } = parts();
  return z
    .object({
      type: oneOf(capaTypes),
      source: oneOf(capaSources),
      sourceNote: z.optional(text(1000, { singleLine: false })),
      problem: longText,
      rootCause: longText,
      actions: plannedActions,
      effectiveness: z.object({ method: longText, dueDate: isoDate }),
      complaints: z.optional(complaintList),
      category: z.optional(oneOf(categories)),
      productModel: z.optional(shortText),
    })
    .check(
      z.refine((value) => value.source !== 'complaints' || (value.complaints?.length ?? 0) > 0, {
        message: message('Name the complaints', '请填写相关投诉编号'),
        path: ['complaints'],
      }),
    );
});

/** Unknown keys (the form's `csrf`) are dropped. */
export function parseNewCapa(input: unknown): ParseResult<NewCapa> {
  const parsed = parseWith(createBody, input);
  if (!parsed.ok) return parsed;
  const { complaints, sourceNote, category, productModel, ...rest } = parsed.value;
  return {
    ok: true,
    value: {
      ...rest,
      complaints: complaints ?? [],
      ...(sourceNote ? { sourceNote } : {}),
      ...(category ? { category } : {}),
      ...(productModel ? { productModel } : {}),
    },
  };
}

const stepBody = z.lazy(() => {
  const { longText, plannedActions } = parts();
  const numberLike = z.pipe(
    z.union([z.number(), z.string().check(z.trim(), z.regex(/^\d+$/))]),
    z.transform((value) => Number(value)),
  );
  const version = z.pipe(numberLike, z.int().check(z.gte(1), z.lte(1_000_000)));
  const index = z.pipe(numberLike, z.int().check(z.gte(0), z.lte(100)));
  const comment = text(2000, { singleLine: false });

  return z.discriminatedUnion('action', [
    z.object({ action: z.literal('approve_plan'), version, comment: z.optional(comment) }),
    z.object({ action: z.literal('complete_action'), version, index, result: comment }),
    z.object({ action: z.literal('submit'), version, comment: z.optional(comment) }),
    z.object({
      action: z.literal('verify'),
      version,
      verdict: oneOf(['effective', 'not_effective'] as const),
      evidence: longText,
    }),
    z.object({ action: z.literal('close'), version, comment: z.optional(comment) }),
    z.object({
      action: z.literal('revise'),
      version,
      rootCause: z.optional(longText),
      actions: plannedActions,
      comment,
    }),
    z.object({ action: z.literal('note'), version, text: longText }),
  ]);
});

export function parseCapaStep(
  input: unknown,
): ParseResult<{ version: number; input: CapaStepInput }> {
  const parsed = parseWith(stepBody, input);
  if (!parsed.ok) return parsed;
  const { version: expected, ...rest } = parsed.value;
  return { ok: true, value: { version: expected, input: rest } };
}
