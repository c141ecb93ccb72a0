/**
 * GET /attachments?reference=&receipt= (the upload page, for the submitter) and
 * GET /attachments/recorded (where S3 sends the browser back after an upload: the file is
 * checked and recorded, then the browser sees the upload page again).
 */
import { listAttachments } from '#functions/data/attachments.ts';
import { maxAttachments } from '#functions/domain/attachments.ts';
import { recordUpload, uploadForm } from '#functions/services/attachments.ts';
import { complaintByReceipt } from '#functions/services/receipts.ts';
import { htmlResponse, queryParameter, seeOther } from '#functions/shared/http.ts';
import { httpHandler } from '#functions/shared/http-handler.ts';
import { publicUrl, relativeUrl } from '#functions/shared/links.ts';
import {
  attachmentsPage,
  isUploadResult,
  pageLanguage,
  unconfirmedThanksPage,
} from '#functions/web/pages.ts';

export const handler = httpHandler(async (event) => {
  const reference = queryParameter(event, 'reference') ?? '';
  const receipt = queryParameter(event, 'receipt') ?? '';
  const complaint = await complaintByReceipt(reference, receipt);
  if (!complaint) {
    const language = pageLanguage(queryParameter(event, 'lang'));
    return htmlResponse(
      404,
      unconfirmedThanksPage(
        language,
        relativeUrl(event.resource, '/status'),
        relativeUrl(event.resource, '/', { lang: language }),
      ),
    );
  }
  if (event.resource === '/attachments/recorded') {
    const outcome = await recordUpload(complaint, queryParameter(event, 'key') ?? '', new Date());
    const result = outcome.outcome === 'rejected' ? outcome.reason : outcome.outcome;
    // A reload of the page after the redirect records nothing twice.
    return seeOther(relativeUrl(event.resource, '/attachments', { reference, receipt, result }));
  }
  const files = await listAttachments(complaint.id);
  // S3 sends the browser back to the configured address, which the policy pins.
  const upload =
    files.length < maxAttachments
      ? await uploadForm(complaint.id, publicUrl('/attachments/recorded', { reference, receipt }))
      : undefined;
  const requested = queryParameter(event, 'result');
  return htmlResponse(
    200,
    attachmentsPage({
      reference,
      language: complaint.language,
      files,
      upload,
      result: isUploadResult(requested) ? requested : undefined,
      statusLink: relativeUrl(event.resource, '/status', {
        reference,
        ...(complaint.customer.email ? { email: complaint.customer.email } : {}),
      }),
    }),
    // The form posts to S3, and S3 redirects to the configured address.
    upload ? [new URL(upload.url).origin, new URL(publicUrl('/')).origin] : [],
  );
});
