/** The customer's answer to our response: satisfied or not, and an optional comment. */
import * as z from 'zod/mini';
import { oneOf, parseWith, text } from './fields.ts';

// Built on the first answer parsed (z.lazy), not at import.
export const caseFeedbackAnswer = z.lazy(() =>
  z.object({
    satisfied: oneOf(['satisfied', 'not_satisfied'] as const),
    comment: z.optional(text(2000, { singleLine: false })),
  }),
);

export function parseCaseFeedback(input: unknown) {
  return parseWith(caseFeedbackAnswer, input);
}
