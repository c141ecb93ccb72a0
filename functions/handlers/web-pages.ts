/** GET / (the complaint form) and GET /privacy (the privacy notice). */
import { randomUUID } from 'node:crypto';
import { htmlResponse, queryParameter } from '../shared/http.ts';
import { httpHandler } from '../shared/http-handler.ts';
import { relativeUrl } from '../shared/links.ts';
import { complaintFormFor, pageLanguage, privacyPage } from '../web/pages.ts';

export const handler = httpHandler(async (event) => {
  const language = pageLanguage(queryParameter(event, 'lang'));
  if (event.resource === '/privacy') {
    return htmlResponse(
      200,
      privacyPage(language, relativeUrl(event.resource, '/', { lang: language })),
    );
  }
  // Each page load carries its own key: a double-clicked submit files one complaint.
  return htmlResponse(
    200,
    complaintFormFor(event.resource, language, { idempotencyKey: randomUUID() }),
  );
});
