/** Scheduled at 08:30 China time: the GM's digest of what is overdue; unanswered responses closed; unreported visits reminded. */
import * as z from 'zod/mini';
import { scheduledInvocation } from '#functions/contract/messages.ts';
import { closeUnanswered, sendDigest } from '#functions/services/case-clock.ts';
import { remindUnreportedVisits } from '#functions/services/visits.ts';

export async function handler(event: unknown) {
  const invocation = z.parse(scheduledInvocation, event);
  const now = new Date(invocation.scheduledTime);
  const closed = await closeUnanswered(now);
  // The clock stamps the digest mail when SES takes it, later than the scheduled time.
  const digest = await sendDigest(now, () => new Date());
  // On-site visits still unreported one working day after their window: reminded once.
  const visits = await remindUnreportedVisits(now);
  return { ...closed, ...digest, ...visits };
}
