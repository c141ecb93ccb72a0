/** The year's results: tallied from the invitations, compared with last year's headline. */
import { getCampaign, invitationsOf } from '#functions/data/surveys.ts';
import type { Market } from '#functions/domain/complaint.ts';
import {
  type InvitedCounts,
  type SurveyResponse,
  type SurveyTally,
  tallySurvey,
} from '#functions/domain/survey-statistics.ts';

export async function surveyTally(year: number): Promise<SurveyTally> {
  const invitations = await invitationsOf(year);
  // Invited means the invitation reached the mail service: queued or refused ones do not count.
  const invited: InvitedCounts & {
    byMarket: Record<Market, number>;
    byRegion: Record<string, number>;
  } = {
    total: 0,
    byMarket: { domestic: 0, export: 0 },
    byRegion: {},
  };
  const responses: SurveyResponse[] = [];
  for (const invitation of invitations) {
    if (invitation.sentAt) {
      invited.total++;
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
      });
    }
  }
  const lastYear = (await getCampaign(year - 1))?.headline;
  return tallySurvey({ year, invited, responses, lastYear });
}
