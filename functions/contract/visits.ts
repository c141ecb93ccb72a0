/** An on-site visit as staff schedule it, and the report as the outlet sends it (flat fields: forms and JSON alike). */
import * as z from 'zod/mini';
import { emailAddress, message, oneOf, parseWith, text } from './fields.ts';

const date = z
  .string()
  .check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, message('A date like 2027-01-11', '日期格式如 2027-01-11')),
  );
const time = z
  .string()
  .check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, message('A time like 09:30', '时间格式如 09:30')));
/** `<input type="datetime-local">`: wall-clock time where the visit is. */
const localDateTime = z
  .string()
  .check(
    z.regex(
      /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/,
      message('A date and time like 2027-01-11T09:30', '日期时间格式如 2027-01-11T09:30'),
    ),
  );

export const visitScheduleInput = z.lazy(() =>
  z.object({
    date,
    from: time,
    to: time,
    assignee: oneOf(['outlet', 'technician'] as const),
    technicianName: z.optional(text(200, { singleLine: true })),
    technicianEmail: z.optional(emailAddress),
    address: text(500, { singleLine: false }),
    contactName: text(200, { singleLine: true }),
    contactPhone: z.optional(text(50, { singleLine: true })),
  }),
);
export type VisitScheduleInput = z.output<typeof visitScheduleInput>;

export function parseVisitSchedule(input: unknown) {
  return parseWith(visitScheduleInput, input);
}

export const visitReportInput = z.lazy(() =>
  z.object({
    arrivedAt: localDateTime,
    departedAt: localDateTime,
    findings: text(5000, { singleLine: false }),
    workDone: text(5000, { singleLine: false }),
    parts: z.optional(text(2000, { singleLine: false })),
    confirmedBy: text(200, { singleLine: true }),
  }),
);
export type VisitReportInput = z.output<typeof visitReportInput>;

export function parseVisitReport(input: unknown) {
  return parseWith(visitReportInput, input);
}
