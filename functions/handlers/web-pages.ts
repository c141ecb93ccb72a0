/** GET / (the complaint form) and GET /privacy (the privacy notice). */
import { randomUUID } from 'node:crypto';
import { htmlResponse, queryParameter } from '#functions/shared/http.ts';
import { httpHandler } from '#functions/shared/http-handler.ts';
import { relativeUrl, slashRedirect } from '#functions/shared/links.ts';
import { complaintFormFor, pageLanguage, privacyPage } from '#functions/web/pages.ts';

export const handler = httpHandler(async (event) => {
  const language = pageLanguage(queryParameter(event, 'lang'));
  if (event.resource === '/privacy') {
    return htmlResponse(
      200,
      privacyPage(language, relativeUrl(event.resource, '/', { lang: language })),
    );
  }
  // The form only: /privacy and the rest are reached by links that carry their path.
  const redirect = slashRedirect(
    event.requestContext?.path ?? '/',
    Object.fromEntries(
      Object.entries(event.queryStringParameters ?? {}).flatMap(([name, value]) =>
        value === undefined ? [] : [[name, value]],
      ),
    ),
  );
  if (redirect) return movedTo(redirect);
  // Each page load carries its own key: a double-clicked submit files one complaint.
  return htmlResponse(
    200,
    complaintFormFor(event.resource, language, {
      idempotencyKey: randomUUID(),
      issuedAt: Date.now(),
    }),
  );
});

function movedTo(location: string) {
  return {
    statusCode: 301,
    headers: { location, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
    body: '',
  };
}
