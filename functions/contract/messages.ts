/** Messages on the queues: validated on the way in, like any other boundary. */
import * as z from 'zod/mini';

export const routingMessage = z.object({ complaintId: z.string().check(z.minLength(1)) });
export type RoutingMessage = z.output<typeof routingMessage>;

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
