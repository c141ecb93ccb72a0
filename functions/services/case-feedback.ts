/**
 * The customer's answer to our response, behind the personal link in the response email
 * (survey token rules: 32 random bytes, SHA-256 stored, single use). Satisfied closes the
 * case; not satisfied reopens it and alerts the owner and the GM with the comment. The
 * answer is a case event of the version after the response, so it is recorded once even if
 * the link is posted twice at once, and only while the response is still the latest step.
 */
import { appendCaseEvent, type CaseEvent } from '#functions/data/cases.ts';
import { getFeedbackToken, markFeedbackTokenUsed } from '#functions/data/feedback-tokens.ts';
import { answerState, type CustomerAnswer } from '#functions/domain/case-lifecycle.ts';
import type { Complaint } from '#functions/domain/complaint.ts';
import { checkSurveyToken, surveyTokenDigest } from '#functions/domain/survey-token.ts';
import { log } from '#functions/shared/log.ts';
import { catchUp, loadCaseById } from './cases.ts';

export type FeedbackLink =
  | { ok: true; complaint: Complaint; version: number; digest: string }
  | { ok: false; reason: 'malformed' | 'unknown' | 'used' | 'expired'; complaint?: Complaint };

export async function openFeedbackLink(token: string, now: Date): Promise<FeedbackLink> {
  const digest = /^[A-Za-z0-9_-]{43}$/.test(token) ? surveyTokenDigest(token) : undefined;
  const stored = digest ? await getFeedbackToken(digest) : undefined;
  const check = checkSurveyToken(token, stored, now);
  const loaded = stored ? await loadCaseById(stored.complaintId) : undefined;
  if (!check.ok)
    return { ok: false, reason: check.reason, ...(loaded ? { complaint: loaded.complaint } : {}) };
  if (!stored || !digest || !loaded) return { ok: false, reason: 'unknown' };
  // The case moved on (staff closed or reopened it): the question is no longer open.
  if (loaded.state.version !== stored.version || loaded.state.status !== 'responded') {
    return { ok: false, reason: 'used', complaint: loaded.complaint };
  }
  return { ok: true, complaint: loaded.complaint, version: stored.version, digest };
}

export type FeedbackOutcome =
  | { outcome: 'recorded'; complaint: Complaint; answer: CustomerAnswer }
  | Extract<FeedbackLink, { ok: false }>;

export async function answerFeedback(
  token: string,
  answer: { satisfied: CustomerAnswer; comment?: string },
  now: Date,
): Promise<FeedbackOutcome> {
  const link = await openFeedbackLink(token, now);
  if (!link.ok) return link;
  const loaded = await loadCaseById(link.complaint.id);
  if (!loaded) return { ok: false, reason: 'unknown' };
  const at = now.toISOString();
  const event: CaseEvent = {
    complaintId: link.complaint.id,
    version: link.version + 1,
    type: 'customer_answer',
    at,
    actor: { kind: 'customer' },
    fields: { answer: answer.satisfied, ...(answer.comment ? { comment: answer.comment } : {}) },
    state: answerState(loaded.state, answer.satisfied, at),
  };
  if (!(await appendCaseEvent(event)))
    return { ok: false, reason: 'used', complaint: link.complaint };
  await markFeedbackTokenUsed(link.digest, at);
  await catchUp(loaded.complaint, event);
  log.info('customer answered the response', {
    complaintId: link.complaint.id,
    reference: link.complaint.reference,
    notification: answer.satisfied,
  });
  return { outcome: 'recorded', complaint: link.complaint, answer: answer.satisfied };
}
