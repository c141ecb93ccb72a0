/**
 * GET /staff/ (the queue: my departments' open complaints, overdue first), GET /staff/api/me
 * and GET /staff/survey/{year}/report (the year's survey report, linked from its results mail).
 */

import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import { getCampaign } from '#functions/data/surveys.ts';
import { categories, statuses } from '#functions/domain/complaint.ts';
import { surveyReportPage } from '#functions/reports/survey-report.ts';
import { listQueue } from '#functions/services/case-views.ts';
import { surveyTally } from '#functions/services/survey-results.ts';
import {
  htmlResponse,
  jsonResponse,
  pathParameter,
  queryParameter,
} from '#functions/shared/http.ts';
import { staffHttpHandler } from '#functions/shared/staff-auth.ts';
import { consoleLanguageOf, csrfOf } from '#functions/shared/staff-forms.ts';
import { queuePage } from '#functions/web/case-pages.ts';

const filters = z.lazy(() =>
  z.object({
    status: z.optional(z.catch(z.optional(z.enum(statuses)), undefined)),
    category: z.optional(z.catch(z.optional(z.enum(categories)), undefined)),
    cursor: z.optional(z.catch(z.optional(z.string().check(z.maxLength(80))), undefined)),
  }),
);

export const handler = staffHttpHandler(async (event, context) => {
  const { user } = context.staff;
  if (event.resource === '/staff/api/me') {
    return jsonResponse(200, { email: user.email, name: user.name, roles: user.roles });
  }
  if (event.resource === '/staff/survey/{year}/report') return surveyReport(event);
  const lang = consoleLanguageOf(event);
  const csrf = csrfOf(event);
  const query = z.parse(filters, {
    status: queryParameter(event, 'status') || undefined,
    category: queryParameter(event, 'category') || undefined,
    cursor: queryParameter(event, 'cursor') || undefined,
  });
  const answer = await listQueue({
    roles: user.roles,
    ...(query.status ? { status: query.status } : { openOnly: true }),
    ...(query.category ? { category: query.category } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {}),
    limit: 50,
    now: new Date(),
  });
  const rows = answer.outcome === 'listed' ? answer.items : [];
  return htmlResponse(
    200,
    queuePage({
      user,
      csrf,
      lang,
      rows,
      filters: {
        ...(query.status ? { status: query.status } : {}),
        ...(query.category ? { category: query.category } : {}),
      },
      ...(answer.outcome === 'listed' && answer.nextCursor
        ? { nextCursor: answer.nextCursor }
        : {}),
    }),
  );
});

async function surveyReport(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const year = Number(pathParameter(event, 'year'));
  const campaign =
    Number.isInteger(year) && year >= 2000 && year <= 2999 ? await getCampaign(year) : undefined;
  if (!campaign) return jsonResponse(404, { error: 'not_found', message: 'No survey that year' });
  return htmlResponse(200, surveyReportPage(await surveyTally(year), { generatedAt: new Date() }));
}
