/**
 * Operator-owned configuration as stored in the table: outlets and the routing policy.
 * Operators edit these by hand, so they are validated when read, like any other input.
 */
import * as z from 'zod/mini';
import { categories, languages } from '#functions/domain/complaint.ts';
import { outletIdPattern } from '#functions/domain/outlets.ts';
import { type RoutingPolicy, remedyTypes, severities } from '#functions/domain/routing.ts';

// Each schema is built on its first read (z.lazy), not at import: most functions read none.

export const outletSchema = z.lazy(() =>
  z.object({
    id: z.string().check(z.regex(outletIdPattern)),
    name: z.object({ zh: z.string(), en: z.string() }),
    email: z.string().check(z.regex(z.regexes.email)),
    regions: z.array(z.string().check(z.regex(/^[A-Z]{2}(-[A-Z]{2})?$/))),
    language: z.enum(languages),
    timeZone: z.optional(z.string().check(z.refine(isTimeZone, 'must be an IANA time zone'))),
  }),
);

/** A time zone this runtime knows (IANA names such as Europe/Amsterdam). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const calendarSchema = z.lazy(() => {
  const date = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));
  return z.object({
    holidays: z.array(date).check(z.maxLength(400)),
    workingWeekendDays: z.array(date).check(z.maxLength(100)),
  });
});

export const routingPolicySchema = z.lazy(() => {
  const hours = z.number().check(z.positive());
  return z.object({
    productQualityCategories: z.array(z.enum(categories)),
    localServiceCategories: z.array(z.enum(categories)),
    lowSeverityCategories: z.array(z.enum(categories)),
    safetyWords: z.array(z.string()),
    targets: z.record(
      z.enum(severities),
      z.object({ firstResponseHours: hours, resolutionHours: hours }),
    ),
    calendar: z.optional(calendarSchema),
    approvalRemedies: z.optional(z.array(z.enum(remedyTypes))),
  });
});

export function parseRoutingPolicy(item: unknown): RoutingPolicy {
  return z.parse(routingPolicySchema, item) satisfies RoutingPolicy;
}
