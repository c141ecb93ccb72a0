/** GET / (the complaint form) and GET /thanks (the page a form post lands on). */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { findComplaintByReference } from '../data/complaints.ts';
import { isReference } from '../domain/complaint.ts';
import { htmlResponse, queryParameter } from '../shared/http.ts';
import { httpHandler } from '../shared/http-handler.ts';
import { relativeUrl } from '../shared/links.ts';
import {
  complaintFormPage,
  pageLanguage,
  thanksPage,
  unconfirmedThanksPage,
} from '../web/pages.ts';

export const handler = httpHandler(async (event) => {
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
      const language = pageLanguage(queryParameter(event, 'lang'));
      return htmlResponse(
        404,
        unconfirmedThanksPage(
          language,
          statusAction,
          relativeUrl(event.resource, '/', { lang: language }),
        ),
      );
    }
    return htmlResponse(200, thanksPage({ reference, language: complaint.language, statusAction }));
  }
  // Each page load carries its own key: a double-clicked submit files one complaint.
  return htmlResponse(
    200,
    complaintFormPage({
      action: relativeUrl(event.resource, '/complaints'),
      idempotencyKey: randomUUID(),
    }),
  );
});

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
