/**
 * The register and the statistics for staff: console pages, their JSON (and CSV) and the
 * register's exports are `register-export.ts`, apart: exceljs triples a bundle's size.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { parseRegisterQuery } from '#functions/contract/register-query.ts';
import { logStatisticsExport, recentExports } from '#functions/data/register.ts';
import { statisticsCsv } from '#functions/reports/complaint-statistics-report.ts';
import {
  computeStatistics,
  registerPage as readRegisterPage,
} from '#functions/services/register.ts';
import { businessYear } from '#functions/shared/clock.ts';
import { csvDownload, htmlResponse, jsonResponse } from '#functions/shared/http.ts';
import { type StaffContext, staffHttpHandler } from '#functions/shared/staff-auth.ts';
import { consoleLanguageOf, csrfOf } from '#functions/shared/staff-forms.ts';
import { registerPage, statisticsPage } from '#functions/web/register-pages.ts';

export const handler = staffHttpHandler(async (event, context) => {
  const route = `${event.httpMethod} ${event.resource}`;
  const now = new Date();
  switch (route) {
    case 'GET /staff/register':
      return registerHtml(event, context, now);
    case 'GET /staff/api/register':
      return registerJson(event, now);
    case 'GET /staff/statistics':
      return statisticsHtml(event, context, now);
    case 'GET /staff/api/statistics':
      return statisticsData(event, context, now);
    default:
      return jsonResponse(404, { error: 'not_found' });
  }
});

function invalid(fields: Record<string, string>) {
  return jsonResponse(400, { error: 'validation_failed', fields });
}

/** A page with a bad query shows the default period and says so, rather than an error page. */
function pageQuery(event: APIGatewayProxyEvent, now: Date) {
  const parsed = parseRegisterQuery(event.queryStringParameters, now);
  if (parsed.ok) return { query: parsed.value, error: false };
  const lang = consoleLanguageOf(event);
  const fallback = parseRegisterQuery({ lang }, now);
  if (!fallback.ok) throw new Error('The default query does not parse');
  return { query: fallback.value, error: true };
}

async function registerJson(event: APIGatewayProxyEvent, now: Date) {
  const parsed = parseRegisterQuery(event.queryStringParameters, now);
  if (!parsed.ok) return invalid(parsed.fields);
  const query = parsed.value;
  const page = await readRegisterPage(query, query.limit, query.cursor);
  return jsonResponse(200, {
    from: query.from,
    to: query.to,
    filter: query.filter,
    items: page.rows,
    nextCursor: page.nextCursor ?? null,
  });
}

async function registerHtml(event: APIGatewayProxyEvent, context: StaffContext, now: Date) {
  const { query, error } = pageQuery(event, now);
  const [page, exports] = await Promise.all([
    readRegisterPage(query, query.limit, query.cursor),
    recentExports(businessYear(now), 10),
  ]);
  return htmlResponse(
    200,
    registerPage({
      user: context.staff.user,
      csrf: csrfOf(event),
      lang: query.lang,
      query,
      rows: page.rows,
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      exports,
      error,
    }),
  );
}

async function statisticsHtml(event: APIGatewayProxyEvent, context: StaffContext, now: Date) {
  const { query, error } = pageQuery(event, now);
  const { figures } = await computeStatistics(query.from, query.to, { now });
  return htmlResponse(
    200,
    statisticsPage({
      user: context.staff.user,
      csrf: csrfOf(event),
      lang: query.lang,
      figures,
      error,
    }),
  );
}

async function statisticsData(event: APIGatewayProxyEvent, context: StaffContext, now: Date) {
  const parsed = parseRegisterQuery(event.queryStringParameters, now);
  if (!parsed.ok) return invalid(parsed.fields);
  const { from, to, format } = parsed.value;
  const { figures, cost } = await computeStatistics(from, to, { now });
  const { user } = context.staff;
  if (format === 'csv') {
    await logStatisticsExport({ from, to }, 'csv', { email: user.email, name: user.name }, now);
    return csvDownload(`statistics-${from}-${to}.csv`, statisticsCsv(figures));
  }
  return jsonResponse(200, { ...figures, cost });
}
