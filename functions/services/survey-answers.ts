/**
 * Answering the survey through a personal link. Opening the link reads and changes nothing
 * (mail scanners open links); posting the answer records it once and uses the link up.
 */
import {
  countOnCampaign,
  getCampaign,
  getInvitation,
  getToken,
  markTokenUsed,
  recordAnswer,
  type SurveyInvitation,
} from '#functions/data/surveys.ts';
import type { Language } from '#functions/domain/complaint.ts';
import { isCampaignOpen, type SurveyAnswer } from '#functions/domain/survey.ts';
import {
  checkSurveyToken,
  isWellFormedSurveyToken,
  surveyTokenDigest,
} from '#functions/domain/survey-token.ts';
import { errorFields, log } from '#functions/shared/log.ts';
import { countBusiness } from '#functions/shared/metrics.ts';
import type { SurveyRefusal } from '#functions/web/survey-pages.ts';

export type SurveyLink =
  | { ok: true; digest: string; invitation: SurveyInvitation }
  | { ok: false; reason: SurveyRefusal; language?: Language };

export async function openSurveyLink(token: string, now: Date): Promise<SurveyLink> {
  if (!isWellFormedSurveyToken(token)) return { ok: false, reason: 'unknown' };
  const digest = surveyTokenDigest(token);
  const stored = await getToken(digest);
  if (!stored) return { ok: false, reason: 'unknown' };
  const invitation = await getInvitation(stored.year, stored.email);
  const language = invitation?.language;
  if (!invitation) return { ok: false, reason: 'unknown' };
  if (invitation.answeredAt) return { ok: false, reason: 'used', language };
  const check = checkSurveyToken(token, stored, now);
  if (!check.ok)
    return { ok: false, reason: check.reason === 'malformed' ? 'unknown' : check.reason, language };
  const campaign = await getCampaign(stored.year);
  if (!campaign || !isCampaignOpen(campaign, now)) return { ok: false, reason: 'closed', language };
  return { ok: true, digest, invitation };
}

export type AnswerOutcome =
  | { recorded: true; language: Language }
  | Extract<SurveyLink, { ok: false }>;

export async function answerSurvey(
  token: string,
  answer: SurveyAnswer,
  now: Date,
): Promise<AnswerOutcome> {
  const link = await openSurveyLink(token, now);
  if (!link.ok) return link;
  const { year, email, language } = link.invitation;
  const at = now.toISOString();
  // The invitation takes one answer whichever of the customer's links brings it.
  if (!(await recordAnswer(year, email, answer, at)))
    return { ok: false, reason: 'used', language };
  // The answer is stored and the invitation refuses another: what follows is bookkeeping,
  // and its failure must not tell the customer their answer was lost.
  try {
    await markTokenUsed(link.digest, at);
    await countOnCampaign(year, 'responded');
  } catch (error) {
    log.warn('survey answered; its bookkeeping did not finish', errorFields(error));
  }
  log.info('survey answered', { count: 1 });
  countBusiness('SurveyAnswers');
  return { recorded: true, language };
}
