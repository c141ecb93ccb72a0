/** Scheduled daily: reminds customers who have not answered, closes the campaign when it is over. */
import * as z from 'zod/mini';
import { scheduledInvocation } from '#functions/contract/messages.ts';
import { remindNonResponders } from '#functions/services/survey-campaign.ts';
import { closeDueCampaign } from '#functions/services/survey-close.ts';
import { businessYear } from '#functions/shared/clock.ts';

export async function handler(event: unknown) {
  const invocation = z.parse(scheduledInvocation, event);
  const now = new Date(invocation.scheduledTime);
  const year = businessYear(now);
  // A campaign started late in a year may still be running after New Year.
  const results = [];
  for (const campaignYear of [year - 1, year]) {
    const reminded = await remindNonResponders(campaignYear, now);
    const closed = await closeDueCampaign(campaignYear, now);
    results.push({ year: campaignYear, reminded, closed });
  }
  return results;
}
