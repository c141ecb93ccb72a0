/** POST /complaints: the public intake of complaints and suggestions (BRIEF.md, public contract). */

import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyResult } from 'aws-lambda';
import {
  draftFromSubmission,
  parseComplaintSubmission,
} from '#functions/contract/complaint-submission.ts';
import type { FieldErrors } from '#functions/contract/fields.ts';
import { looksAutomated } from '#functions/domain/bot-check.ts';
import { receiveComplaint } from '#functions/services/intake.ts';
import { answerStatusLinkFor } from '#functions/services/status-access.ts';
import { setting } from '#functions/shared/config.ts';
import { header, htmlResponse, jsonResponse, parseBody, seeOther } from '#functions/shared/http.ts';
import { httpHandler } from '#functions/shared/http-handler.ts';
import { relativeUrl } from '#functions/shared/links.ts';
import { countBusiness } from '#functions/shared/metrics.ts';
import {
  complaintFormFor,
  formErrors,
  formValues,
  messageResponse,
  pageLanguage,
} from '#functions/web/pages.ts';

export const maxBodyBytes = 64 * 1024;

const minimumFillMs = () => setting('FORM_MINIMUM_FILL_SECONDS') * 1000;

export const handler = httpHandler(
  async (event) => {
    // Over 64 KB or another media type never gets here: the factory answers 413 (a bilingual
    // page for a form) or 415.
    const body = parseBody(event, maxBodyBytes);
    if (!body.ok) {
      countBusiness('ComplaintsRejected');
      return jsonResponse(body.status, { error: body.error, message: body.message });
    }
    const now = new Date();
    if (body.format === 'form' && looksAutomated(body.data, now.getTime(), minimumFillMs())) {
      // A bot: the page it expects, and nothing stored or sent. Counted, never logged.
      countBusiness('AutomatedFormPosts');
      return messageResponse(
        200,
        { zh: '感谢您的反馈', en: 'Thank you' },
        { zh: '我们已收到您的信息。', en: 'We have received your message.' },
      );
    }
    const input = withHeaderKey(body.data, header(event, 'idempotency-key'));
    const parsed = parseComplaintSubmission(input);
    if (!parsed.ok) {
      countBusiness('ComplaintsRejected');
      return invalid(body.format, body.data, parsed.errors, now);
    }

    const intake = await receiveComplaint(
      draftFromSubmission(parsed.value),
      parsed.value.idempotencyKey,
      now,
      { answerLink: body.format === 'json' },
    );
    switch (intake.outcome) {
      case 'key_reused':
        if (body.format === 'form') {
          // Back, edit, send again: the old page's key belongs to the first complaint.
          return htmlResponse(
            422,
            complaintFormFor(event.resource, formLanguage(body.data), {
              idempotencyKey: randomUUID(),
              issuedAt: now.getTime(),
              values: formValues(body.data),
              notice: {
                zh: '此表单已提交过。如需提交另一条意见，请检查内容后再次提交。',
                en: 'This form was sent before. To file another complaint, check it and send it again.',
              },
            }),
          );
        }
        return jsonResponse(422, {
          error: 'idempotency_key_reused',
          message: 'This Idempotency-Key was used for a different complaint',
        });
      case 'accepted': {
        const { id, reference, statusAccessDigests } = intake.result;
        if (body.format === 'form') {
          // Relative, so the browser stays at the address it opened the form at; the receipt
          // (the complaint's id) is what lets the thank-you page confirm the reference.
          return seeOther(relativeUrl(event.resource, '/thanks', { reference, receipt: id }));
        }
        return jsonResponse(202, {
          id,
          reference,
          status: 'received',
          // Opens the status as given: an access token of this complaint (only its digest is
          // stored), never the customer's address; the same for a retry.
          statusUrl: await answerStatusLinkFor(id, reference, statusAccessDigests),
        });
      }
    }
  },
  { maxBodyBytes },
);

/** The form says which language its page was in (its `language` field). */
function formLanguage(data: unknown) {
  return pageLanguage(formValues(data).language);
}

/** The header wins over the field: it is what HTTP clients retry with. */
function withHeaderKey(data: unknown, headerKey: string | undefined): unknown {
  if (headerKey === undefined || data === null || typeof data !== 'object' || Array.isArray(data)) {
    return data;
  }
  return { ...data, idempotencyKey: headerKey };
}

function invalid(
  format: 'json' | 'form',
  data: unknown,
  errors: FieldErrors,
  now: Date,
): APIGatewayProxyResult {
  if (format === 'json') {
    return jsonResponse(400, {
      error: 'validation_failed',
      message: 'Some fields are missing or invalid',
      fields: errors,
    });
  }
  const values = formValues(data);
  return htmlResponse(
    400,
    complaintFormFor('/complaints', formLanguage(data), {
      // Keep the key the customer's browser posted, so a corrected resubmission stays one complaint.
      idempotencyKey: values.idempotencyKey ?? randomUUID(),
      issuedAt: now.getTime(),
      values,
      errors: formErrors(values, errors),
    }),
  );
}
