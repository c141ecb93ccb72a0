/** GET / (the complaint form) and GET /thanks (the page a form post lands on). */
import { randomUUID } from 'node:crypto';
import { isReference } from '../domain/complaint.ts';
import { htmlResponse, queryParameter } from '../shared/http.ts';
import { httpHandler } from '../shared/http-handler.ts';
import { publicUrl } from '../shared/links.ts';
import { complaintFormPage, messageResponse, thanksPage } from '../web/pages.ts';

export const handler = httpHandler(async (event) => {
  if (event.resource === '/thanks') {
    const reference = queryParameter(event, 'reference') ?? '';
    if (!isReference(reference)) {
      return messageResponse(
        404,
        { zh: '未找到', en: 'Not found' },
        { zh: '编号无效。', en: 'That is not a valid reference.' },
      );
    }
    return htmlResponse(200, thanksPage(reference, publicUrl(`/complaints/${reference}`)));
  }
  // Each page load carries its own key: a double-clicked submit files one complaint.
  return htmlResponse(
    200,
    complaintFormPage({ action: publicUrl('/complaints'), idempotencyKey: randomUUID() }),
  );
});
