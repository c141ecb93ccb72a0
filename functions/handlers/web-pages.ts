/** GET / (the complaint form), GET /thanks (the page a form post lands on) and GET /privacy. */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { findComplaintByReference } from '../data/complaints.ts';
import { isReference } from '../domain/complaint.ts';
import { htmlResponse, queryParameter } from '../shared/http.ts';
import { httpHandler } from '../shared/http-handler.ts';
import { relativeUrl } from '../shared/links.ts';
import {
  complaintFormFor,
  pageLanguage,
  privacyPage,
  thanksPage,
  unconfirmedThanksPage,
} from '../web/pages.ts';

export const handler = httpHandler(async (event) => {
  const language = pageLanguage(queryParameter(event, 'lang'));
  const formLink = relativeUrl(event.resource, '/', { lang: language });
  if (event.resource === '/privacy') return htmlResponse(200, privacyPage(language, formLink));
  if (event.resource === '/thanks') {
    const reference = queryParameter(event, 'reference') ?? '';
    const receipt = queryParameter(event, 'receipt') ?? '';
    const statusAction = relativeUrl(event.resource, '/status');
    // The receipt is the complaint's id, which only the submitter's redirect carried: a
    // reference alone, existing or not, gets the same page that confirms nothing.
    const complaint = isReference(reference)
      ? await findComplaintByReference(reference)
      : undefined;
    if (!complaint || !sameSecret(complaint.id, receipt)) {
      return htmlResponse(404, unconfirmedThanksPage(language, statusAction, formLink));
    }
    return htmlResponse(200, thanksPage({ reference, language: complaint.language, statusAction }));
  }
  // Each page load carries its own key: a double-clicked submit files one complaint.
  return htmlResponse(
    200,
    complaintFormFor(event.resource, language, { idempotencyKey: randomUUID() }),
  );
});

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
