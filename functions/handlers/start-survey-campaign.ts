/** Scheduled (15 January, 09:00 China time): starts the year's satisfaction survey. */

import * as z from 'zod/mini';
import { scheduledInvocation } from '#functions/contract/messages.ts';
import { startSurveyCampaign } from '#functions/services/survey-campaign.ts';
import { log } from '#functions/shared/log.ts';

export async function handler(event: unknown) {
  const invocation = z.parse(scheduledInvocation, event);
  // The scheduled time, not the clock: a retried run still belongs to the year it was meant for.
  const result = await startSurveyCampaign(new Date(invocation.scheduledTime));
  log.info(result.started ? 'survey campaign started' : 'survey campaign already started', {
    schedule: invocation.schedule,
    count: result.queued,
  });
  return result;
}
