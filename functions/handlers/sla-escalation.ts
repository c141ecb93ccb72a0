/** Scheduled every 15 minutes: overdue first responses and resolutions are escalated, once each. */
import * as z from 'zod/mini';
import { scheduledInvocation } from '#functions/contract/messages.ts';
import { escalateOverdue } from '#functions/services/case-clock.ts';

export async function handler(event: unknown) {
  const invocation = z.parse(scheduledInvocation, event);
  return escalateOverdue(new Date(invocation.scheduledTime));
}
