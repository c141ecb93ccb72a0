/**
 * "Do not ask me again": the unsubscribe link of survey mail (RFC 8058 one-click), and the
 * same offer on the survey page. Opening a link reads and changes nothing (mail scanners
 * open links); a POST to it opts the address out of the survey at once, without sign-in.
 * Mail about the customer's own complaints is not affected.
 */
import { optOutOfSurvey } from '#functions/data/customers.ts';
import { getInvitation, getToken } from '#functions/data/surveys.ts';
import { getUnsubscribeToken, saveUnsubscribeToken } from '#functions/data/unsubscribe-tokens.ts';
import type { Language } from '#functions/domain/complaint.ts';
import {
  isSurveyTokenExpired,
  issueSurveyToken,
  isWellFormedSurveyToken,
  surveyTokenDigest,
} from '#functions/domain/survey-token.ts';
import { publicUrl } from '#functions/shared/links.ts';
import { log } from '#functions/shared/log.ts';

/** An unsubscribe link keeps working this long after its mail: mail is read late. */
const unsubscribeLinkDays = 400;

/** A fresh unsubscribe link for one survey mail to `email`; only its digest is stored. */
export async function issueUnsubscribeLink(
  email: string,
  language: Language,
  now: Date,
): Promise<string> {
  const token = issueSurveyToken(new Date(now.getTime() + unsubscribeLinkDays * 86_400_000));
  await saveUnsubscribeToken({
    digest: token.digest,
    email,
    language,
    issuedAt: now.toISOString(),
    expiresAt: token.expiresAt,
  });
  return publicUrl(`/unsubscribe/${token.token}`);
}

export type OptOutLink = { ok: true; email: string; language: Language } | { ok: false };

/**
 * Whose link this is: an unsubscribe token from a survey mail's header or body, or the
 * survey link itself (the survey page offers the same), used or not.
 */
export async function findOptOutLink(token: string, now: Date): Promise<OptOutLink> {
  if (!isWellFormedSurveyToken(token)) return { ok: false };
  const digest = surveyTokenDigest(token);
  const unsubscribe = await getUnsubscribeToken(digest);
  if (unsubscribe) {
    if (isSurveyTokenExpired(unsubscribe.expiresAt, now)) return { ok: false };
    return { ok: true, email: unsubscribe.email, language: unsubscribe.language };
  }
  const survey = await getToken(digest);
  if (!survey) return { ok: false };
  const invitation = await getInvitation(survey.year, survey.email);
  return { ok: true, email: survey.email, language: invitation?.language ?? 'zh' };
}

export async function optOutByLink(
  token: string,
  now: Date,
): Promise<{ ok: true; language: Language } | { ok: false }> {
  const link = await findOptOutLink(token, now);
  if (!link.ok) return link;
  await optOutOfSurvey(link.email, now.toISOString());
  log.info('survey opt-out recorded', { count: 1 });
  return { ok: true, language: link.language };
}
