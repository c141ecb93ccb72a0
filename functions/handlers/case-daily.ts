/** Scheduled at 08:30 China time: the GM's digest of what is overdue; unanswered responses closed. */
import * as z from 'zod/mini';
import { scheduledInvocation } from '#functions/contract/messages.ts';
import { closeUnanswered, sendDigest } from '#functions/services/case-clock.ts';

export async function handler(event: unknown) {
  const invocation = z.parse(scheduledInvocation, event);
  const now = new Date(invocation.scheduledTime);
  const closed = await closeUnanswered(now);
  const digest = await sendDigest(now);
  return { ...closed, ...digest };
}
