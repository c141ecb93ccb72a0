/** Scheduled daily: reminds customers who have not answered, closes the campaign when it is over. */
import * as z from 'zod/mini';
import { scheduledInvocation } from '#functions/contract/messages.ts';
import { surveyDay } from '#functions/services/survey-close.ts';

export async function handler(event: unknown) {
  const invocation = z.parse(scheduledInvocation, event);
  // The clock stamps the report mails when SES takes them, later than the scheduled time.
  return surveyDay(new Date(invocation.scheduledTime), () => new Date());
}
