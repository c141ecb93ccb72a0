/**
 * The yearly survey campaign: starting it (once per year) and fanning out one invitation
 * message per deliverable customer; every day, reminding those who have not answered and
 * closing the campaign when its period is over.
 */
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import type { SurveyMailMessage } from '#functions/contract/messages.ts';
import { deliverableCustomers } from '#functions/data/customers.ts';
import {
  createCampaign,
  getCampaign,
  invitationsOf,
  recordFanOutPage,
  type SurveyCampaign,
} from '#functions/data/surveys.ts';
import {
  campaignWindow,
  isCampaignOpen,
  reminderDecision,
  type SurveySchedule,
  surveyScheduleProblems,
} from '#functions/domain/survey.ts';
import { surveyEligible } from '#functions/domain/survey-eligibility.ts';
import { sqsClient } from '#functions/shared/aws/sqs.ts';
import { requiredSetting, setting } from '#functions/shared/config.ts';
import { log } from '#functions/shared/log.ts';
import { environmentNames } from '#functions/wiring.ts';
import { inviteOfflineCustomers } from './survey-offline.ts';

/** The campaign's clock from the function's settings (see `surveySettings` in the wiring). */
export function surveySchedule(): SurveySchedule {
  const schedule: SurveySchedule = {
    openDays: setting('SURVEY_OPEN_DAYS'),
    maxReminders: setting('SURVEY_MAX_REMINDERS'),
    reminderIntervalDays: setting('SURVEY_REMINDER_INTERVAL_DAYS'),
  };
  const problems = surveyScheduleProblems(schedule);
  if (problems.length > 0) throw new Error(`Survey settings: ${problems.join('; ')}`);
  return schedule;
}

export interface FanOutResult {
  year: number;
  started: boolean;
  queued: number;
  /** Customers surveyed by phone, fax or post newly listed (no mail for them). */
  offline: number;
}

const pageSize = 100;

/** Starts this year's campaign; a second start of the same year queues nothing new. */
export async function startSurveyCampaign(now: Date): Promise<FanOutResult> {
  const window = campaignWindow(now, surveySchedule());
  const started = await createCampaign(window);
  // A campaign just created has no cursor: only a second start reads where the first stopped.
  let cursor = started ? { complete: false } : cursorOf(await getCampaign(window.year));
  let queued = 0;
  // Resumes where an interrupted fan-out stopped; a finished one is left alone.
  while (cursor && !cursor.complete) {
    const from = cursor.from;
    const page = await deliverableCustomers(
      pageSize,
      from ? z.parse(z.record(z.string(), z.unknown()), JSON.parse(from)) : undefined,
    );
    // The index holds only eligible entries; the rule is checked again for entries written
    // before it (a complainant indexed on their complaint alone).
    const eligible = page.customers.filter(surveyEligible);
    await queueSurveyMail(eligible.map(({ email }) => ({ year: window.year, email, mail: 0 })));
    const to = page.next ? JSON.stringify(page.next) : undefined;
    if (!(await recordFanOutPage(window.year, { from, to, customers: page.customers.length }))) {
      // Another run moved the cursor first: it owns the fan-out (our messages are duplicates the consumer ignores).
      break;
    }
    queued += eligible.length;
    log.info('survey fan-out progress', { count: queued });
    // The record moved the cursor from `from` to `to`, on that condition: nothing to read back.
    cursor = { ...(to ? { from: to } : {}), complete: to === undefined };
  }
  const current = await getCampaign(window.year);
  const offline =
    current && isCampaignOpen(current, now) ? await inviteOfflineCustomers(window.year, now) : 0;
  return { year: window.year, started, queued, offline };
}

function cursorOf(campaign: SurveyCampaign | undefined) {
  if (!campaign) return undefined;
  return {
    ...(campaign.fanOutCursor ? { from: campaign.fanOutCursor } : {}),
    complete: campaign.fanOutComplete,
  };
}

/** SendMessageBatch calls side by side: a page of the fan-out is queued in one round trip. */
const batchesAtOnce = 10;

/**
 * Queues survey mail, ten to a SendMessageBatch and up to ten batches side by side; any
 * refused entry fails the whole call for a retry.
 */
export async function queueSurveyMail(messages: SurveyMailMessage[]): Promise<void> {
  const queueUrl = requiredSetting(environmentNames.queueUrl('survey'));
  const batches: SurveyMailMessage[][] = [];
  for (let start = 0; start < messages.length; start += 10) {
    batches.push(messages.slice(start, start + 10));
  }
  for (let start = 0; start < batches.length; start += batchesAtOnce) {
    await Promise.all(
      batches.slice(start, start + batchesAtOnce).map((batch) => queueBatch(queueUrl, batch)),
    );
  }
}

async function queueBatch(queueUrl: string, batch: SurveyMailMessage[]): Promise<void> {
  const result = await sqsClient().send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: batch.map((message, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify(message),
      })),
    }),
  );
  if ((result.Failed ?? []).length > 0) {
    throw new Error(`${result.Failed?.length} survey messages were refused by the queue`);
  }
}

/** Queues a reminder for every customer who is due one; returns how many. */
export async function remindNonResponders(year: number, now: Date): Promise<number> {
  const campaign = await getCampaign(year);
  if (!campaign) return 0;
  const schedule = surveySchedule();
  const due: SurveyMailMessage[] = [];
  for (const invitation of await invitationsOf(year)) {
    const decision = reminderDecision(invitation, campaign, schedule, now);
    if (decision.send) due.push({ year, email: invitation.email, mail: decision.reminderNumber });
  }
  await queueSurveyMail(due);
  if (due.length > 0) log.info('survey reminders queued', { count: due.length });
  return due.length;
}
