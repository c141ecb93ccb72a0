/** GET and POST /survey/{token}: the questionnaire behind a customer's personal link. */
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { FieldErrors } from '#functions/contract/fields.ts';
import { parseSurveyAnswer } from '#functions/contract/survey-answer.ts';
import {
  answerSurvey,
  openSurveyLink,
  type SurveyLink,
} from '#functions/services/survey-answers.ts';
import { htmlResponse, jsonResponse, parseBody, pathParameter } from '#functions/shared/http.ts';
import { httpHandler } from '#functions/shared/http-handler.ts';
import { relativeUrl } from '#functions/shared/links.ts';
import { formValues } from '#functions/web/pages.ts';
import {
  surveyFormPage,
  surveyRefusedPage,
  surveyThanksPage,
} from '#functions/web/survey-pages.ts';

const maxBodyBytes = 16 * 1024;

export const handler = httpHandler(async (event) => {
  const token = pathParameter(event, 'token') ?? '';
  const now = new Date();
  if (event.httpMethod === 'GET') {
    const link = await openSurveyLink(token, now);
    return link.ok ? form(token, link) : refused(link);
  }

  const body = parseBody(event, maxBodyBytes);
  if (!body.ok) return jsonResponse(body.status, { error: body.error, message: body.message });
  const parsed = parseSurveyAnswer(body.data);
  if (!parsed.ok) {
    const link = await openSurveyLink(token, now);
    if (!link.ok) return refused(link);
    if (body.format === 'json')
      return jsonResponse(400, { error: 'validation_failed', fields: parsed.errors });
    return form(token, link, formValues(body.data), parsed.errors, 400);
  }
  const outcome = await answerSurvey(token, parsed.value, now);
  if ('recorded' in outcome) {
    return body.format === 'json'
      ? jsonResponse(200, { status: 'recorded' })
      : htmlResponse(200, surveyThanksPage(outcome.language));
  }
  return body.format === 'json'
    ? jsonResponse(refusalStatus(outcome.reason), { error: outcome.reason })
    : refused(outcome);
});

function form(
  token: string,
  link: Extract<SurveyLink, { ok: true }>,
  values?: Record<string, string>,
  errors?: FieldErrors,
  status = 200,
): APIGatewayProxyResult {
  return htmlResponse(
    status,
    surveyFormPage({
      language: link.invitation.language,
      company: link.invitation.company,
      action: relativeUrl('/survey/{token}', `/survey/${encodeURIComponent(token)}`),
      optOutUrl: relativeUrl('/survey/{token}', `/unsubscribe/${encodeURIComponent(token)}`),
      values,
      errors,
    }),
  );
}

function refused(link: Extract<SurveyLink, { ok: false }>): APIGatewayProxyResult {
  return htmlResponse(refusalStatus(link.reason), surveyRefusedPage(link.reason, link.language));
}

function refusalStatus(reason: Extract<SurveyLink, { ok: false }>['reason']): number {
  return reason === 'unknown' ? 404 : reason === 'used' ? 409 : 410;
}
