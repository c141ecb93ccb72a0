/** Messages on the queues: validated on the way in, like any other boundary. */
import * as z from 'zod/mini';
import { departmentCodes } from '#functions/domain/departments.ts';
import { type QueuedNotification, visitMails } from '#functions/domain/notifications.ts';
import { outletIdPattern } from '#functions/domain/outlets.ts';

const complaintId = z.string().check(z.minLength(1), z.maxLength(64));

export const routingMessage = z.object({ complaintId });
export type RoutingMessage = z.output<typeof routingMessage>;

/** One email: which complaint, which event, to whom. Addresses are looked up, never carried. */
export const notificationMessage = z.union([
  z.object({
    complaintId,
    event: z.literal('received'),
    recipient: z.object({ kind: z.literal('customer') }),
  }),
  z.object({
    complaintId,
    event: z.literal('routed'),
    recipient: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('department'), code: z.enum(departmentCodes) }),
      z.object({ kind: z.literal('outlet'), id: z.string().check(z.regex(outletIdPattern)) }),
    ]),
  }),
  z.object({
    complaintId,
    event: z.literal('case'),
    version: z.int().check(z.gte(1), z.lte(1_000_000)),
    recipient: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('customer') }),
      z.object({ kind: z.literal('department'), code: z.enum(departmentCodes) }),
    ]),
  }),
  z.object({
    complaintId,
    event: z.literal('bounced'),
    recipient: z.object({ kind: z.literal('department'), code: z.enum(departmentCodes) }),
  }),
  z.object({
    complaintId,
    event: z.literal('escalation'),
    level: z.enum(['first_response', 'resolution']),
    recipient: z.object({ kind: z.literal('department'), code: z.enum(departmentCodes) }),
  }),
  z.object({
    complaintId,
    event: z.literal('visit'),
    visitId: z.string().check(z.regex(/^[0-9a-f-]{36}$/)),
    mail: z.enum(visitMails),
  }),
]);
export type NotificationMessage = z.output<typeof notificationMessage>;

export function notificationMessageFor(
  complaintId: string,
  notification: QueuedNotification,
): NotificationMessage {
  return { complaintId, ...notification };
}

/** JSON text in, the validated message out, or undefined for anything else. */
export function parseMessage<S extends z.core.$ZodType>(
  schema: S,
  body: string,
): z.output<S> | undefined {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return undefined;
  }
  const result = z.safeParse(schema, data);
  return result.success ? result.data : undefined;
}

/**
 * What EventBridge Scheduler sends a scheduled function (the stack fills the values with
 * Scheduler's context attributes; the local clock and `npm run fire` with real ones).
 */
export const scheduledInvocation = z.object({
  schedule: z.string(),
  scheduledTime: z.string(),
  executionId: z.string(),
});
export type ScheduledInvocation = z.output<typeof scheduledInvocation>;

export function scheduleInput(schedule: string, scheduledTime: string, executionId: string) {
  return { schedule, scheduledTime, executionId } satisfies ScheduledInvocation;
}

/** One survey mail to one customer: the invitation (`mail` 0) or reminder number `mail`. */
export const surveyMailMessage = z.object({
  year: z.int().check(z.gte(2000), z.lte(2999)),
  email: z.string().check(z.minLength(3), z.maxLength(254)),
  mail: z.int().check(z.gte(0), z.lte(10)),
});
export type SurveyMailMessage = z.output<typeof surveyMailMessage>;
