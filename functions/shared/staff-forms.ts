/**
 * What the console's handlers share about their pages and forms: the language and CSRF token a
 * request brings, a posted form (or its JSON twin on the API) read and checked, and
 * post/redirect/get back to the page with a notice of what happened.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { FieldErrors } from '#functions/contract/fields.ts';
import { jsonResponse, parseBody, queryParameter, seeOther } from '#functions/shared/http.ts';
import { cookieNames, cookiesOf, staffPath } from '#functions/shared/staff-session.ts';

/** A route of the API answers in JSON; the same route of the console answers with pages. */
export type StaffAnswer = 'json' | 'page';

/** The console's language: English when the link asks for it (`?lang=en`), else Chinese. */
export function consoleLanguageOf(event: APIGatewayProxyEvent): 'zh' | 'en' {
  return queryParameter(event, 'lang') === 'en' ? 'en' : 'zh';
}

/** The CSRF token of the request's cookie, for the forms of the page it is answered with. */
export function csrfOf(event: APIGatewayProxyEvent): string {
  return cookiesOf(event)[cookieNames.csrf] ?? '';
}

/** A post's body, or the answer to one that cannot be read: JSON, as for any client. */
export function readStaffBody(
  event: APIGatewayProxyEvent,
  maxBytes: number,
): { ok: true; data: unknown } | { ok: false; response: APIGatewayProxyResult } {
  const body = parseBody(event, maxBytes);
  if (!body.ok) {
    return {
      ok: false,
      response: jsonResponse(body.status, { error: body.error, message: body.message }),
    };
  }
  return { ok: true, data: body.data };
}

/**
 * A form its contract refuses: 400 with the fields for the API; for a page, what `page` makes
 * of the errors (the form again with them, or back to the page with a notice).
 */
export function refusedForm(
  answer: StaffAnswer,
  errors: FieldErrors,
  page: (errors: FieldErrors) => APIGatewayProxyResult,
): APIGatewayProxyResult {
  return answer === 'page'
    ? page(errors)
    : jsonResponse(400, { error: 'validation_failed', fields: errors });
}

/**
 * Post/redirect/get: back to the console page at `path`, which shows what happened (`done=`),
 * so a reload never acts twice. `params` come first in the query, the language last.
 */
export function backToPage(
  event: APIGatewayProxyEvent,
  path: string,
  done: string,
  params: Record<string, string> = {},
): APIGatewayProxyResult {
  const query = new URLSearchParams({ ...params, done });
  if (consoleLanguageOf(event) === 'en') query.set('lang', 'en');
  return seeOther(`${staffPath(path)}?${query.toString()}`);
}

/** A malformed `Idempotency-Key` header or form key: refused before anything is done. */
export function invalidIdempotencyKey(): APIGatewayProxyResult {
  return jsonResponse(400, {
    error: 'validation_failed',
    fields: { 'Idempotency-Key': 'Invalid' },
  });
}
