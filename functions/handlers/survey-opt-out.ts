/**
 * GET and POST /unsubscribe/{token}: the survey mail's `List-Unsubscribe` link. GET shows a
 * page with one button; POST (the button, or a mailbox provider's RFC 8058 one-click
 * request, whatever its body) opts the address out at once, without sign-in.
 */
import { findOptOutLink, optOutByLink } from '#functions/services/survey-opt-out.ts';
import { htmlResponse, pathParameter } from '#functions/shared/http.ts';
import { httpHandler } from '#functions/shared/http-handler.ts';
import { relativeUrl } from '#functions/shared/links.ts';
import { optedOutPage, optOutPage, optOutUnknownPage } from '#functions/web/opt-out-pages.ts';

export const handler = httpHandler(async (event) => {
  const token = pathParameter(event, 'token') ?? '';
  const now = new Date();
  if (event.httpMethod === 'GET') {
    const link = await findOptOutLink(token, now);
    if (!link.ok) return htmlResponse(404, optOutUnknownPage());
    return htmlResponse(
      200,
      optOutPage(
        link.language,
        relativeUrl('/unsubscribe/{token}', `/unsubscribe/${encodeURIComponent(token)}`),
      ),
    );
  }
  const outcome = await optOutByLink(token, now);
  return outcome.ok
    ? htmlResponse(200, optedOutPage(outcome.language))
    : htmlResponse(404, optOutUnknownPage());
});
