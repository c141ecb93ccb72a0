/** GET and POST /feedback/{token}: the customer's answer to our response (satisfied or not). */
import { parseCaseFeedback } from '#functions/contract/case-feedback.ts';
import type { Language } from '#functions/domain/complaint.ts';
import { answerFeedback, openFeedbackLink } from '#functions/services/case-feedback.ts';
import { htmlResponse, jsonResponse, parseBody, pathParameter } from '#functions/shared/http.ts';
import { httpHandler } from '#functions/shared/http-handler.ts';
import { publicUrl } from '#functions/shared/links.ts';
import {
  feedbackDonePage,
  feedbackFormPage,
  feedbackRefusedPage,
} from '#functions/web/feedback-pages.ts';

const maxBodyBytes = 8 * 1024;

export const handler = httpHandler(async (event) => {
  const token = pathParameter(event, 'token') ?? '';
  const now = new Date();
  if (event.httpMethod === 'GET') {
    const link = await openFeedbackLink(token, now);
    if (!link.ok) return refused(link.reason, link.complaint?.language);
    return htmlResponse(
      200,
      feedbackFormPage({
        language: link.complaint.language,
        reference: link.complaint.reference,
        subject: link.complaint.subject,
        action: publicUrl(`/feedback/${token}`),
      }),
    );
  }
  const body = parseBody(event, maxBodyBytes);
  if (!body.ok) return jsonResponse(body.status, { error: body.error, message: body.message });
  const parsed = parseCaseFeedback(body.data);
  if (!parsed.ok) {
    const link = await openFeedbackLink(token, now);
    if (!link.ok) return refused(link.reason, link.complaint?.language);
    if (body.format === 'json')
      return jsonResponse(400, { error: 'validation_failed', fields: parsed.errors });
    return htmlResponse(
      400,
      feedbackFormPage({
        language: link.complaint.language,
        reference: link.complaint.reference,
        subject: link.complaint.subject,
        action: publicUrl(`/feedback/${token}`),
        error: true,
      }),
    );
  }
  const outcome = await answerFeedback(
    token,
    {
      satisfied: parsed.value.satisfied,
      ...(parsed.value.comment ? { comment: parsed.value.comment } : {}),
    },
    now,
  );
  if ('ok' in outcome) {
    return body.format === 'json'
      ? jsonResponse(refusalStatus(outcome.reason), { error: outcome.reason })
      : refused(outcome.reason, outcome.complaint?.language);
  }
  const reopened = outcome.answer === 'not_satisfied';
  return body.format === 'json'
    ? jsonResponse(200, { status: reopened ? 'reopened' : 'closed' })
    : htmlResponse(200, feedbackDonePage(outcome.complaint.language, reopened));
});

function refusalStatus(reason: 'malformed' | 'unknown' | 'used' | 'expired'): number {
  return reason === 'used' ? 409 : reason === 'expired' ? 410 : 404;
}

function refused(reason: 'malformed' | 'unknown' | 'used' | 'expired', language: Language = 'zh') {
  return htmlResponse(refusalStatus(reason), feedbackRefusedPage(language));
}
