/**
 * Scheduled every 15 minutes: overdue first responses and resolutions are escalated, once
 * each, and so are overdue CAPA actions; `escalated` counts both.
 */
import * as z from 'zod/mini';
import { scheduledInvocation } from '#functions/contract/messages.ts';
import { escalateOverdueCapa } from '#functions/services/capa-clock.ts';
import { escalateOverdue } from '#functions/services/case-clock.ts';

export async function handler(event: unknown) {
  const invocation = z.parse(scheduledInvocation, event);
  const at = new Date(invocation.scheduledTime);
  const complaints = await escalateOverdue(at);
  // The clock stamps each mail SES takes, minutes after the scheduled time in a long run.
  const capa = await escalateOverdueCapa(at, () => new Date());
  return { escalated: complaints.escalated + capa.escalated };
}
