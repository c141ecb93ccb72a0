/**
 * Exports of the register as CSV or XLSX: the file is written to the private bucket and the
 * answer is a five-minute presigned link (a redirect for the console, JSON for the API). Each
 * export is logged: who exported what, when. Apart from the pages: exceljs is big.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { parseRegisterQuery } from '#functions/contract/register-query.ts';
import { exportRegister } from '#functions/services/register-export.ts';
import { jsonResponse, seeOther } from '#functions/shared/http.ts';
import { type StaffContext, staffHttpHandler } from '#functions/shared/staff-auth.ts';

export const handler = staffHttpHandler(async (event, context) => {
  const route = `${event.httpMethod} ${event.resource}`;
  switch (route) {
    case 'GET /staff/register/export':
      return exportFile(event, context, 'page');
    case 'GET /staff/api/register/export':
      return exportFile(event, context, 'json');
    default:
      return jsonResponse(404, { error: 'not_found' });
  }
});

async function exportFile(
  event: APIGatewayProxyEvent,
  context: StaffContext,
  answer: 'page' | 'json',
) {
  const now = new Date();
  const parsed = parseRegisterQuery(event.queryStringParameters, now);
  if (!parsed.ok) return jsonResponse(400, { error: 'validation_failed', fields: parsed.fields });
  const format = parsed.value.format === 'csv' ? 'csv' : 'xlsx';
  const { user } = context.staff;
  const result = await exportRegister(
    parsed.value,
    format,
    { email: user.email, name: user.name },
    now,
  );
  if (answer === 'page') return seeOther(result.url);
  return jsonResponse(200, { url: result.url, rows: result.rows, fileName: result.fileName });
}
