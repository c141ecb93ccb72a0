/**
 * Closing the campaign when its period is over: the tally is kept for next year's comparison
 * and reported to gm and every department, once each (for the management review).
 */
import { listDepartments } from '#functions/data/configuration.ts';
import { keys } from '#functions/data/keys.ts';
import {
  closeCampaign,
  getCampaign,
  markReportSent,
  saveHeadline,
} from '#functions/data/surveys.ts';
import { campaignDueToClose } from '#functions/domain/survey.ts';
import { headlineOf } from '#functions/domain/survey-statistics.ts';
import { surveyReportEmail } from '#functions/reports/survey-report.ts';
import { businessYear, type Clock } from '#functions/shared/clock.ts';
import { publicUrl } from '#functions/shared/links.ts';
import { log } from '#functions/shared/log.ts';
import { sendOnce } from './send-once.ts';
import { remindNonResponders } from './survey-campaign.ts';
import { surveyTally } from './survey-results.ts';

export type CloseOutcome = 'open' | 'reported' | 'report_pending' | 'none';

/** Closes `year`'s campaign if it is due, then reports it until every department has it. */
export async function closeDueCampaign(
  year: number,
  now: Date,
  clock: Clock,
): Promise<CloseOutcome> {
  const campaign = await getCampaign(year);
  if (!campaign) return 'none';
  if (campaignDueToClose(campaign, now)) await closeCampaign(year, now.toISOString());
  const closed = await getCampaign(year);
  if (!closed?.closedAt) return 'open';
  if (closed.reportSentAt) return 'reported';

  const tally = await surveyTally(year);
  await saveHeadline(year, headlineOf(tally));
  // The mail carries figures only; it links to the whole report (with the customers'
  // suggestions) in the staff console, behind sign-in.
  const email = surveyReportEmail(tally, {
    generatedAt: now,
    reportUrl: publicUrl(`/staff/survey/${year}/report`),
  });
  let pending = 0;
  for (const department of await listDepartments()) {
    const outcome = await sendOnce({
      sender: 'surveyDaily',
      marker: keys.surveyReportMail(year, department.code),
      label: `survey-report:${department.code}`,
      now,
      clock,
      to: department.email,
      compose: async () => email,
    });
    if (outcome.outcome === 'retry') pending++;
  }
  if (pending > 0) return 'report_pending';
  await markReportSent(year, now.toISOString());
  log.info('survey campaign closed and reported', { count: tally.responses });
  return 'reported';
}

/**
 * The survey's day: reminders, then closing what is due, for this business year's campaign
 * and last year's (a campaign started late in a year may still be running after New Year).
 */
export async function surveyDay(now: Date, clock: Clock) {
  const year = businessYear(now);
  const results = [];
  for (const campaignYear of [year - 1, year]) {
    const reminded = await remindNonResponders(campaignYear, now);
    const closed = await closeDueCampaign(campaignYear, now, clock);
    results.push({ year: campaignYear, reminded, closed });
  }
  return results;
}
