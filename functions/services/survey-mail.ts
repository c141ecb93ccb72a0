/**
 * Sending one survey mail (the invitation or a reminder) to one customer, exactly once per
 * customer, year and mail. Each mail carries a fresh personal link; only its token's digest
 * is stored. A refused address is recorded and leaves the registry of deliverable customers.
 */
import type { SurveyMailMessage } from '#functions/contract/messages.ts';
import { getCustomer, markUndeliverable } from '#functions/data/customers.ts';
import { keys } from '#functions/data/keys.ts';
import {
  type CampaignCounter,
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

/**
 * The campaign's dates, read once a minute per warm environment (every mail needs them). The
 * read itself is shared: a batch's mails start side by side and would each read it.
 */
const campaignLifetimeMs = 60_000;
const campaigns = new Map<number, { campaign: Promise<Campaign>; readAt: number }>();
type Campaign = Awaited<ReturnType<typeof getCampaign>>;

function campaignOf(year: number, now: Date): Promise<Campaign> {
  const cached = campaigns.get(year);
  if (cached && Math.abs(now.getTime() - cached.readAt) < campaignLifetimeMs)
    return cached.campaign;
  const campaign = getCampaign(year);
  campaigns.set(year, { campaign, readAt: now.getTime() });
  // A failed read is not kept: the next mail reads again.
  campaign.catch(() => {
    if (campaigns.get(year)?.campaign === campaign) campaigns.delete(year);
  });
  return campaign;
}

/**
 * A batch's campaign counts, added in one write per year and counter once the batch is done
 * (`flush`) instead of one write per mail on the campaign's one item. A count is only
 * progress: as before, a sender that dies between marking a mail and counting it leaves it
 * uncounted (the mark is what keeps the mail from going twice).
 */
export class CampaignTally {
  private readonly pending = new Map<
    string,
    { year: number; counter: CampaignCounter; by: number }
  >();

  readonly add = async (year: number, counter: CampaignCounter): Promise<void> => {
    const key = `${year}/${counter}`;
    const entry = this.pending.get(key) ?? { year, counter, by: 0 };
    entry.by++;
    this.pending.set(key, entry);
  };

  async flush(): Promise<void> {
    const entries = [...this.pending.values()];
    this.pending.clear();
    const results = await Promise.allSettled(
      entries.map(({ year, counter, by }) => countOnCampaign(year, counter, by)),
    );
    const lost = results.filter((result) => result.status === 'rejected').length;
    if (lost > 0) log.error('survey campaign counts not added', { count: lost });
  }
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
  tally?: CampaignTally,
): Promise<SurveyMailOutcome> {
  const { year, email, mail } = message;
  const count = tally ? tally.add : countOnCampaign;
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
  let marked = false;
  const outcome: SendOnceOutcome = await sendOnce({
    sender: 'sendSurveyMail',
    marker: keys.surveyMail(year, email, mail),
    label: mail === 0 ? 'survey-invitation' : `survey-reminder-${mail}`,
    now,
    clock,
    to: invitation.email,
    // The turn ends with SES's answer (what the window counts), not a mark's round trip
    // later; the `finally` below ends it if the mail never reached SES (a release is idempotent).
    answered: () => release?.(),
    accepted: async () => {
      marked = await markMailSent(year, email, mail, now.toISOString());
    },
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
      // The invitation was marked beside the mail's own mark (`accepted`).
      if (marked && mail === 0) await count(year, 'sent');
      countBusiness('SurveyInvitationsSent');
      return 'sent';
    case 'already_sent':
      // A crash after sending but before the bookkeeping: finish it (both steps are idempotent).
      if ((await markMailSent(year, email, mail, now.toISOString())) && mail === 0) {
        await count(year, 'sent');
      }
      return 'skipped';
    case 'rejected':
      if (await markInvitationFailed(year, email, outcome.failure, outcome.failedAt)) {
        await count(year, 'failed');
      }
      await markUndeliverable(email, outcome.failure, outcome.failedAt);
      log.warn('survey mail refused; the address leaves the registry', { count: 1 });
      return 'rejected';
    case 'retry':
      return 'retry';
  }
}
