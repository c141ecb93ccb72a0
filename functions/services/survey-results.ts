/** The year's results: tallied from the invitations, compared with last year's headline. */
import { getCampaign, invitationsOf } from '#functions/data/surveys.ts';
import type { Market } from '#functions/domain/complaint.ts';
import {
  type ComplaintGroup,
  complaintGroupOf,
  inSurveyWindow,
} from '#functions/domain/customer-history.ts';
import type { SurveyChannel } from '#functions/domain/survey-channels.ts';
import {
  type InvitedCounts,
  type SurveyResponse,
  type SurveyTally,
  tallySurvey,
} from '#functions/domain/survey-statistics.ts';
import { complaintsOfCustomer } from './customer-view.ts';

/** How the customer's complaints of the year before their answer ended (none: they had none). */
async function complaintGroupBefore(email: string, answeredAt: string): Promise<ComplaintGroup> {
  const complaints = await complaintsOfCustomer(email);
  return complaintGroupOf(
    complaints
      .filter((complaint) => inSurveyWindow(complaint.createdAt, answeredAt))
      .map((complaint) => complaint.outcome),
  );
}

export async function surveyTally(year: number): Promise<SurveyTally> {
  const invitations = await invitationsOf(year);
  // Invited means the invitation reached the mail service: queued or refused ones do not count.
  const invited: InvitedCounts & {
    byMarket: Record<Market, number>;
    byRegion: Record<string, number>;
    byChannel: Record<SurveyChannel, number>;
  } = {
    total: 0,
    byMarket: { domestic: 0, export: 0 },
    byRegion: {},
    byChannel: { email: 0, phone: 0, fax: 0, post: 0 },
  };
  const responses: SurveyResponse[] = [];
  for (const invitation of invitations) {
    // A phone, fax or post customer is invited by being on the call list or sent a form.
    if (invitation.sentAt || invitation.channel) {
      invited.total++;
      invited.byChannel[invitation.channel ?? 'email']++;
      invited.byMarket[invitation.market]++;
      invited.byRegion[invitation.region] = (invited.byRegion[invitation.region] ?? 0) + 1;
    }
    if (invitation.answer && invitation.answeredAt) {
      responses.push({
        email: invitation.email,
        company: invitation.company,
        name: invitation.name,
        market: invitation.market,
        region: invitation.region,
        language: invitation.language,
        answeredAt: invitation.answeredAt,
        answer: invitation.answer,
        channel: invitation.answerChannel ?? 'email',
        complaint: await complaintGroupBefore(invitation.email, invitation.answeredAt),
      });
    }
  }
  const lastYear = (await getCampaign(year - 1))?.headline;
  return tallySurvey({ year, invited, responses, lastYear });
}
