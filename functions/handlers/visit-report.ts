/**
 * GET and POST /visit/{token}: the outlet's report of an on-site visit behind its personal
 * link (GET shows the form and changes nothing; POST records it, once). GET
 * /visit/{token}/ics: the customer's calendar file of the appointment.
 */
import { parseVisitReport } from '#functions/contract/visits.ts';
import {
  openVisitLink,
  reportVisit,
  type VisitLinkRefusal,
  visitCalendarFile,
} from '#functions/services/visits.ts';
import { htmlResponse, jsonResponse, parseBody, pathParameter } from '#functions/shared/http.ts';
import { httpHandler } from '#functions/shared/http-handler.ts';
import { publicUrl } from '#functions/shared/links.ts';
import {
  visitReportDonePage,
  visitReportPage,
  visitReportRefusedPage,
} from '#functions/web/visit-pages.ts';

const maxBodyBytes = 32 * 1024;

function refusalStatus(reason: VisitLinkRefusal): number {
  return reason === 'used' ? 409 : reason === 'expired' ? 410 : 404;
}

function refused(reason: VisitLinkRefusal, json: boolean) {
  return json
    ? jsonResponse(refusalStatus(reason), {
        error: reason === 'used' ? 'already_reported' : reason,
      })
    : htmlResponse(
        refusalStatus(reason),
        visitReportRefusedPage(reason === 'used' ? 'used' : 'other'),
      );
}

function stringValues(data: unknown): Record<string, string> {
  if (data === null || typeof data !== 'object') return {};
  return Object.fromEntries(
    Object.entries(data).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

export const handler = httpHandler(async (event) => {
  const token = pathParameter(event, 'token') ?? '';
  const now = new Date();
  if (event.resource.endsWith('/ics')) {
    const file = await visitCalendarFile(token, now);
    if (!file) return htmlResponse(404, visitReportRefusedPage('other'));
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/calendar; charset=utf-8',
        'content-disposition': 'attachment; filename="visit.ics"',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
      body: file,
    };
  }
  const action = publicUrl(`/visit/${token}`);
  if (event.httpMethod === 'GET') {
    const link = await openVisitLink(token, 'report', now);
    if (!link.ok) return refused(link.reason, false);
    return htmlResponse(
      200,
      visitReportPage({
        reference: link.complaint.reference,
        subject: link.complaint.subject,
        visit: link.visit,
        action,
      }),
    );
  }
  const body = parseBody(event, maxBodyBytes);
  if (!body.ok) return jsonResponse(body.status, { error: body.error, message: body.message });
  const json = body.format === 'json';
  const parsed = parseVisitReport(body.data);
  const outcome = parsed.ok ? await reportVisit(token, parsed.value, now) : undefined;
  if (outcome && 'ok' in outcome) return refused(outcome.reason, json);
  if (outcome?.outcome === 'recorded') {
    return json
      ? jsonResponse(200, { status: 'recorded' })
      : htmlResponse(200, visitReportDonePage());
  }
  const errors = outcome?.outcome === 'invalid' ? outcome.errors : parsed.ok ? {} : parsed.errors;
  const link = outcome?.outcome === 'invalid' ? outcome : await openVisitLink(token, 'report', now);
  if ('ok' in link && !link.ok) return refused(link.reason, json);
  if (json) return jsonResponse(400, { error: 'validation_failed', fields: errors });
  return htmlResponse(
    400,
    visitReportPage({
      reference: link.complaint.reference,
      subject: link.complaint.subject,
      visit: link.visit,
      action,
      errors,
      values: stringValues(body.data),
    }),
  );
});
