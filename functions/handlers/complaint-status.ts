/**
 * GET /thanks?reference=&receipt= (the page a form post lands on),
 * GET /status (the lookup form; with `reference` and `email` the status) and
 * GET /complaints/{reference}?access= (the link in customer mail and the JSON answer; the
 * complaint's own access token) or ?email= (the public contract): the public status, only
 * for the holder of a link or the address that filed the complaint.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { listAttachments } from '#functions/data/attachments.ts';
import { caseEvents } from '#functions/data/cases.ts';
import { maxAttachments } from '#functions/domain/attachments.ts';
import { publicTimeline as caseSteps } from '#functions/domain/case-lifecycle.ts';
import { type Language, publicStatus } from '#functions/domain/complaint.ts';
import { publicTimeline } from '#functions/domain/public-timeline.ts';
import { complaintByReceipt, complaintFiledBy } from '#functions/services/receipts.ts';
import { complaintByAccess } from '#functions/services/status-access.ts';
import {
  htmlResponse,
  jsonResponse,
  pathParameter,
  queryParameter,
  wantsHtml,
} from '#functions/shared/http.ts';
import { httpHandler } from '#functions/shared/http-handler.ts';
import { relativeUrl } from '#functions/shared/links.ts';
import { customerTimeZone } from '#functions/web/local-time.ts';
import {
  pageLanguage,
  statusLookupPage,
  statusPage,
  thanksPage,
  unconfirmedThanksPage,
} from '#functions/web/pages.ts';

export const handler = httpHandler(async (event) => {
  if (event.resource === '/thanks') return thanks(event);
  const lookup = event.resource === '/status';
  const reference = (
    (lookup ? queryParameter(event, 'reference') : pathParameter(event, 'reference')) ?? ''
  )
    .trim()
    .toUpperCase();
  const email = (queryParameter(event, 'email') ?? '').trim();
  const access = (queryParameter(event, 'access') ?? '').trim();
  const language = pageLanguage(queryParameter(event, 'lang'));
  const links = {
    action: relativeUrl(event.resource, '/status'),
    formLink: relativeUrl(event.resource, '/', { lang: language }),
  };
  if (lookup && !reference && !email) {
    return htmlResponse(200, statusLookupPage({ language, ...links }));
  }
  const complaint = access
    ? await complaintByAccess(reference, access)
    : await complaintFiledBy(reference, email);
  // Unknown reference and wrong address get the same answer: references cannot be probed.
  if (!complaint) {
    if (lookup || wantsHtml(event)) {
      return htmlResponse(
        404,
        statusLookupPage({ language, reference, email, notFound: true, ...links }),
      );
    }
    return jsonResponse(404, {
      error: 'not_found',
      message: 'No complaint matches this reference and email',
    });
  }
  const status = publicStatus(complaint);
  const steps = caseSteps(
    complaint.receivedAt ?? complaint.createdAt,
    await caseEvents(complaint.id),
  );
  const timeline = publicTimeline(complaint, steps);
  if (!lookup && !wantsHtml(event)) {
    return jsonResponse(200, { ...status, timeline: steps });
  }
  const files = await listAttachments(complaint.id);
  return htmlResponse(
    200,
    statusPage({
      status,
      timeline,
      language: complaint.language satisfies Language,
      timeZone: customerTimeZone(complaint.customer, new Date()),
      formLink: relativeUrl(event.resource, '/', { lang: complaint.language }),
      files,
      // Whoever knows the reference and the address filed it: they may add files too.
      ...(files.length < maxAttachments
        ? {
            attachmentsLink: relativeUrl(event.resource, '/attachments', {
              reference: complaint.reference,
              receipt: complaint.id,
            }),
          }
        : {}),
    }),
  );
});

async function thanks(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const reference = queryParameter(event, 'reference') ?? '';
  const receipt = queryParameter(event, 'receipt') ?? '';
  const statusAction = relativeUrl(event.resource, '/status');
  const complaint = await complaintByReceipt(reference, receipt);
  if (!complaint) {
    const language = pageLanguage(queryParameter(event, 'lang'));
    const formLink = relativeUrl(event.resource, '/', { lang: language });
    return htmlResponse(404, unconfirmedThanksPage(language, statusAction, formLink));
  }
  return htmlResponse(
    200,
    thanksPage({
      reference,
      language: complaint.language,
      statusAction,
      attachmentsLink: relativeUrl(event.resource, '/attachments', { reference, receipt }),
    }),
  );
}
