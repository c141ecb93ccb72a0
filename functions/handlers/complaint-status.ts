/** GET /complaints/{reference}?email=: the public status, only for the address that filed it. */
import { caseEvents } from '../data/cases.ts';
import { findComplaintByReference } from '../data/complaints.ts';
import { publicTimeline } from '../domain/case-lifecycle.ts';
import { isReference, publicStatus, sameEmail } from '../domain/complaint.ts';
import {
  htmlResponse,
  jsonResponse,
  pathParameter,
  queryParameter,
  wantsHtml,
} from '../shared/http.ts';
import { httpHandler } from '../shared/http-handler.ts';
import { messageResponse, statusPage } from '../web/pages.ts';
import { timelineHtml } from '../web/timeline.ts';

export const handler = httpHandler(async (event) => {
  const reference = pathParameter(event, 'reference') ?? '';
  const email = queryParameter(event, 'email') ?? '';
  const complaint =
    isReference(reference) && email ? await findComplaintByReference(reference) : undefined;
  // Unknown reference and wrong address get the same answer: references cannot be probed.
  if (!complaint || !sameEmail(complaint.customer.email ?? '', email)) {
    if (wantsHtml(event)) {
      return messageResponse(
        404,
        { zh: '未找到', en: 'Not found' },
        {
          zh: '没有与该编号和邮箱相符的记录，请核对后重试。',
          en: 'No complaint matches this reference and email address. Please check both and try again.',
        },
      );
    }
    return jsonResponse(404, {
      error: 'not_found',
      message: 'No complaint matches this reference and email',
    });
  }
  const timeline = publicTimeline(
    complaint.receivedAt ?? complaint.createdAt,
    await caseEvents(complaint.id),
  );
  const status = { ...publicStatus(complaint), timeline };
  return wantsHtml(event)
    ? htmlResponse(200, statusPage(status, timelineHtml(timeline)))
    : jsonResponse(200, status);
});
