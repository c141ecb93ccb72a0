/**
 * `GET /staff/review/workbook?from=&to=`: the management-review workbook, written to the
 * private bucket and answered with a redirect to its five-minute link; logged as an export.
 * Apart from the pack's page: exceljs is big.
 */
import { parseReviewQuery } from '#functions/contract/review-query.ts';
import { exportReviewWorkbook } from '#functions/services/review-workbook.ts';
import { jsonResponse, seeOther } from '#functions/shared/http.ts';
import { staffHttpHandler } from '#functions/shared/staff-auth.ts';

export const handler = staffHttpHandler(async (event, context) => {
  const now = new Date();
  const parsed = parseReviewQuery(event.queryStringParameters, now);
  if (!parsed.ok) return jsonResponse(400, { error: 'validation_failed', fields: parsed.errors });
  const { user } = context.staff;
  const result = await exportReviewWorkbook(
    parsed.value.from,
    parsed.value.to,
    { email: user.email, name: user.name },
    now,
  );
  return seeOther(result.url);
});
