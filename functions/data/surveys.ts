/**
 * The yearly survey in the table: the campaign record (window, fan-out cursor, progress
 * counts), one invitation per customer (delivery, reminders, the answer) and the tokens of
 * the personal links (found by digest). Every write is one conditional item write.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SurveyAnswer } from '#functions/domain/survey.ts';
import type { OfflineChannel, SurveyChannel } from '#functions/domain/survey-channels.ts';
import type { TallyHeadline } from '#functions/domain/survey-statistics.ts';
import type { StoredSurveyToken } from '#functions/domain/survey-token.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import type { CustomerProfile } from './customers.ts';
import { putIfAbsent, queryAllPages, setOnce, tableName, writeIf } from './db.ts';
import {
  type ItemFamily,
  surveyCampaignItem,
  surveyInvitationItem,
  surveyTokenItem,
} from './items.ts';
import { keys } from './keys.ts';

export const campaignCounters = ['targeted', 'queued', 'sent', 'failed', 'responded'] as const;
export type CampaignCounter = (typeof campaignCounters)[number];

export interface SurveyCampaign extends Record<CampaignCounter, number> {
  year: number;
  openedAt: string;
  closesAt: string;
  closedAt?: string;
  /** Where the fan-out stopped (a serialised index key); absent before the first page. */
  fanOutCursor?: string;
  fanOutComplete: boolean;
  reportSentAt?: string;
  /** This year's figures, kept at the close so next year's report can compare with them. */
  headline?: TallyHeadline;
}

/** One customer's invitation: who they were when invited (their registry profile), then its progress. */
export interface SurveyInvitation extends CustomerProfile {
  year: number;
  createdAt: string;
  sentAt?: string;
  remindersSent: number;
  lastReminderAt?: string;
  failedAt?: string;
  failure?: string;
  answeredAt?: string;
  answer?: SurveyAnswer;
  /** Phone, fax or post: no mail; staff work it from the call list or a printed form. */
  channel?: OfflineChannel;
  /** Printed on the questionnaire; staff find the survey by it. */
  code?: string;
  /** How the answer came; absent for an answer through the personal link (email). */
  answerChannel?: SurveyChannel;
  /** The staff member who entered an answer taken by phone or from a returned form. */
  enteredBy?: { email: string; name: string };
}

export interface SurveyTokenRecord extends StoredSurveyToken {
  year: number;
  email: string;
  issuedAt: string;
}

async function getItem<T>(
  family: ItemFamily<T>,
  key: { pk: string; sk: string },
): Promise<T | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }),
  );
  return result.Item ? family.fromItem(result.Item) : undefined;
}

export function createCampaign(window: { year: number; openedAt: string; closesAt: string }) {
  const campaign: SurveyCampaign = {
    ...window,
    fanOutComplete: false,
    targeted: 0,
    queued: 0,
    sent: 0,
    failed: 0,
    responded: 0,
  };
  return putIfAbsent(surveyCampaignItem.toItem(keys.surveyCampaign(window.year), campaign));
}

export function getCampaign(year: number) {
  return getItem(surveyCampaignItem, keys.surveyCampaign(year));
}

/**
 * Records one page of the fan-out: counts it and moves the cursor, only if the cursor is
 * still where this page started, so a retried or concurrent fan-out never counts twice.
 */
export function recordFanOutPage(
  year: number,
  page: { from?: string; to?: string; customers: number },
) {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.surveyCampaign(year),
      UpdateExpression: `ADD targeted :n, queued :n SET fanOutComplete = :done${page.to ? ', fanOutCursor = :to' : ''}`,
      ConditionExpression: page.from
        ? 'fanOutCursor = :from'
        : 'attribute_not_exists(fanOutCursor)',
      ExpressionAttributeValues: {
        ':n': page.customers,
        ':done': page.to === undefined,
        ...(page.to ? { ':to': page.to } : {}),
        ...(page.from ? { ':from': page.from } : {}),
      },
    }),
  );
}

export async function countOnCampaign(year: number, counter: CampaignCounter, by = 1) {
  await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.surveyCampaign(year),
      UpdateExpression: 'ADD #counter :by',
      ExpressionAttributeNames: { '#counter': counter },
      ExpressionAttributeValues: { ':by': by },
    }),
  );
}

/** Closes the campaign once; false if it was closed already. */
export function closeCampaign(year: number, at: string) {
  return setOnce(keys.surveyCampaign(year), 'closedAt', at);
}

export async function saveHeadline(year: number, headline: TallyHeadline) {
  await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.surveyCampaign(year),
      UpdateExpression: 'SET headline = :headline',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':headline': headline },
    }),
  );
}

export function markReportSent(year: number, at: string) {
  return setOnce(keys.surveyCampaign(year), 'reportSentAt', at);
}

export function createInvitation(invitation: SurveyInvitation) {
  return putIfAbsent(
    surveyInvitationItem.toItem(
      keys.surveyInvitation(invitation.year, invitation.email),
      invitation,
    ),
  );
}

export function getInvitation(year: number, email: string) {
  return getItem(surveyInvitationItem, keys.surveyInvitation(year, email));
}

/** The invitation (number 0) or reminder `number` went out; false if that was recorded already. */
export function markMailSent(year: number, email: string, number: number, at: string) {
  const key = keys.surveyInvitation(year, email);
  if (number === 0) {
    return setOnce(key, 'sentAt', at);
  }
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'SET remindersSent = :number, lastReminderAt = :at',
      ConditionExpression: 'remindersSent = :previous',
      ExpressionAttributeValues: { ':number': number, ':previous': number - 1, ':at': at },
    }),
  );
}

export function markInvitationFailed(year: number, email: string, failure: string, at: string) {
  return setOnce(keys.surveyInvitation(year, email), 'failedAt', at, { also: { failure } });
}

/** Stores the answer once: a second answer, by any of the customer's links, is refused. */
export function recordAnswer(year: number, email: string, answer: SurveyAnswer, at: string) {
  return setOnce(keys.surveyInvitation(year, email), 'answeredAt', at, { also: { answer } });
}

/**
 * Stores an answer staff entered, on the same condition as the link's: whichever channel
 * comes first is the customer's answer of the year, a second is refused.
 */
export function recordEnteredAnswer(
  year: number,
  email: string,
  entry: {
    answer: SurveyAnswer;
    channel: SurveyChannel;
    enteredBy: { email: string; name: string };
  },
  at: string,
) {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.surveyInvitation(year, email),
      UpdateExpression:
        'SET answer = :answer, answeredAt = :at, answerChannel = :channel, enteredBy = :by',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(answeredAt)',
      ExpressionAttributeValues: {
        ':answer': entry.answer,
        ':at': at,
        ':channel': entry.channel,
        ':by': entry.enteredBy,
      },
    }),
  );
}

export async function invitationsOf(year: number): Promise<SurveyInvitation[]> {
  const prefix = keys.surveyInvitations(year);
  const items = await queryAllPages({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': prefix.pk, ':prefix': prefix.skPrefix },
  });
  return items.map(surveyInvitationItem.fromItem);
}

export function saveToken(token: SurveyTokenRecord) {
  return putIfAbsent(surveyTokenItem.toItem(keys.surveyToken(token.digest), token));
}

export function getToken(digest: string) {
  return getItem(surveyTokenItem, keys.surveyToken(digest));
}

export function markTokenUsed(digest: string, at: string) {
  return setOnce(keys.surveyToken(digest), 'usedAt', at);
}
