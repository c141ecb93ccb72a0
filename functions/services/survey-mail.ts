/**
 * Sending one survey mail (the invitation or a reminder) to one customer, exactly once per
 * customer, year and mail. Each mail carries a fresh personal link; only its token's digest
 * is stored. A refused address is recorded and leaves the registry of deliverable customers.
 */
import type { SurveyMailMessage } from '#functions/contract/messages.ts';
import { getCustomer, markUndeliverable } from '#functions/data/customers.ts';
import { keys } from '#functions/data/keys.ts';
import {
  countOnCampaign,
  createInvitation,
  getCampaign,
  getInvitation,
  markInvitationFailed,
  markMailSent,
  type SurveyInvitation,
  saveToken,
} from '#functions/data/surveys.ts';
import { isCampaignOpen } from '#functions/domain/survey.ts';
import { surveyEligible } from '#functions/domain/survey-eligibility.ts';
import { issueSurveyToken } from '#functions/domain/survey-token.ts';
import { surveyInvitationEmail } from '#functions/email/survey-invitation.ts';
import type { Clock } from '#functions/shared/clock.ts';
import { setting } from '#functions/shared/config.ts';
import { publicUrl } from '#functions/shared/links.ts';
import { log } from '#functions/shared/log.ts';
import { countBusiness } from '#functions/shared/metrics.ts';
import { type SendRelease, type SendWindow, sendWindow } from '#functions/shared/pacer.ts';
import { functions } from '#functions/wiring.ts';
import { type SendOnceOutcome, sendOnce } from './send-once.ts';
import { issueUnsubscribeLink } from './survey-opt-out.ts';

export type SurveyMailOutcome = 'sent' | 'skipped' | 'rejected' | 'retry';

/**
 * The send window of one sender instance: the account's SES rate (SURVEY_SEND_RATE_PER_SECOND)
 * is shared between the sender's concurrent instances, so together they keep to it in every
 * second.
 */
export function surveySendPacer(): SendWindow {
  return sendWindow(sendRateShare(setting('SURVEY_SEND_RATE_PER_SECOND')));
}

const unpaced: SendWindow = { acquire: async () => () => undefined };

export function sendRateShare(
  perSecond: number,
  instances = functions.sendSurveyMail.trigger.maxConcurrency,
): number {
  return perSecond / instances;
}

/** The campaign's dates, read once a minute per warm environment (every mail needs them). */
const campaignLifetimeMs = 60_000;
const campaigns = new Map<number, { campaign: Campaign | undefined; readAt: number }>();
type Campaign = Awaited<ReturnType<typeof getCampaign>>;

async function campaignOf(year: number, now: Date): Promise<Campaign> {
  const cached = campaigns.get(year);
  if (cached && Math.abs(now.getTime() - cached.readAt) < campaignLifetimeMs)
    return cached.campaign;
  const campaign = await getCampaign(year);
  campaigns.set(year, { campaign, readAt: now.getTime() });
  return campaign;
}

/**
 * `pace` gives the turn right before SES is called, and has it back once SES has answered
 * (the sender's pacing): the table work of several mails can overlap while their sends keep
 * to the rate.
 */
export async function sendSurveyMail(
  message: SurveyMailMessage,
  now: Date,
  clock: Clock,
  pace: SendWindow = unpaced,
): Promise<SurveyMailOutcome> {
  const { year, email, mail } = message;
  const [campaign, customer] = await Promise.all([campaignOf(year, now), getCustomer(email)]);
  if (!campaign || !isCampaignOpen(campaign, now)) return 'skipped';
  // Checked at each mail: an address that opted out or bounced since gets no reminder.
  if (!customer || !surveyEligible(customer)) return 'skipped';

  const fresh: SurveyInvitation = {
    year,
    email: customer.email,
    name: customer.name,
    company: customer.company,
    market: customer.market,
    region: customer.region,
    language: customer.language,
    createdAt: now.toISOString(),
    remindersSent: 0,
  };
  // The invitation just written is the one to read: only an existing one needs the table.
  const invitation =
    mail === 0 && (await createInvitation(fresh)) ? fresh : await getInvitation(year, email);
  if (!invitation || invitation.answeredAt || invitation.failedAt) return 'skipped';

  const token = issueSurveyToken(new Date(campaign.closesAt));
  let release: SendRelease | undefined;
  const outcome: SendOnceOutcome = await sendOnce({
    sender: 'sendSurveyMail',
    marker: keys.surveyMail(year, email, mail),
    label: mail === 0 ? 'survey-invitation' : `survey-reminder-${mail}`,
    now,
    clock,
    to: invitation.email,
    compose: async () => {
      // The link's token is stored (as its digest) only once the mail is really going out;
      // the unsubscribe link's beside it (two items of their own: one round trip, not two).
      const [, unsubscribeUrl] = await Promise.all([
        saveToken({
          digest: token.digest,
          expiresAt: token.expiresAt,
          year,
          email: invitation.email,
          issuedAt: now.toISOString(),
        }),
        issueUnsubscribeLink(invitation.email, invitation.language, now),
      ]);
      const content = surveyInvitationEmail({
        language: invitation.language,
        year,
        name: invitation.name,
        company: invitation.company,
        link: publicUrl(`/survey/${token.token}`),
        privacyUrl: publicUrl('/privacy', { lang: invitation.language }),
        unsubscribeUrl,
        closesAt: campaign.closesAt,
        mail,
      });
      release = await pace.acquire();
      return content;
    },
  }).finally(() => release?.());
  switch (outcome.outcome) {
    case 'sent':
      if (await markMailSent(year, email, mail, now.toISOString())) {
        if (mail === 0) await countOnCampaign(year, 'sent');
      }
      countBusiness('SurveyInvitationsSent');
      return 'sent';
    case 'already_sent':
      // A crash after sending but before the bookkeeping: finish it (both steps are idempotent).
      if ((await markMailSent(year, email, mail, now.toISOString())) && mail === 0) {
        await countOnCampaign(year, 'sent');
      }
      return 'skipped';
    case 'rejected':
      if (await markInvitationFailed(year, email, outcome.failure, outcome.failedAt)) {
        await countOnCampaign(year, 'failed');
      }
      await markUndeliverable(email, outcome.failure, outcome.failedAt);
      log.warn('survey mail refused; the address leaves the registry', { count: 1 });
      return 'rejected';
    case 'retry':
      return 'retry';
  }
}
