/**
 * The survey in the console: `/staff/surveys/{year}` (find a customer's survey, enter an
 * answer taken by phone or from a returned form) and, per department, the printable
 * questionnaires and the call list of its phone, fax and post customers.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { parseSurveyAnswer } from '#functions/contract/survey-answer.ts';
import { getInvitation } from '#functions/data/surveys.ts';
import { type DepartmentCode, departmentNames } from '#functions/domain/departments.ts';
import { surveyChannels } from '#functions/domain/survey-channels.ts';
import {
  callListCsv,
  callListDocument,
  questionnairesDocument,
} from '#functions/reports/survey-forms.ts';
import type { StaffUser } from '#functions/services/staff-tokens.ts';
import {
  enterSurveyAnswer,
  findSurveys,
  maySurvey,
  offlineSurveysOf,
} from '#functions/services/survey-offline.ts';
import { businessYear } from '#functions/shared/clock.ts';
import {
  csvDownload,
  htmlResponse,
  jsonResponse,
  pathParameter,
  queryParameter,
  seeOther,
} from '#functions/shared/http.ts';
import { site } from '#functions/shared/site.ts';
import { type StaffContext, staffHttpHandler } from '#functions/shared/staff-auth.ts';
import {
  backToPage,
  consoleLanguageOf,
  csrfOf,
  readStaffBody,
} from '#functions/shared/staff-forms.ts';
import { staffPath } from '#functions/shared/staff-session.ts';
import { type EntryNotice, surveyConsolePage } from '#functions/web/survey-staff-pages.ts';

const maxBodyBytes = 16 * 1024;
const surveyingDepartments = ['sales', 'export'] as const satisfies readonly DepartmentCode[];

const yearSchema = z.pipe(
  z.string().check(z.regex(/^2\d{3}$/)),
  z.transform((value) => Number(value)),
);
const entrySchema = z.lazy(() =>
  z.object({
    customer: z.string().check(z.trim(), z.minLength(3), z.maxLength(254)),
    channel: z.enum(surveyChannels),
  }),
);

export const handler = staffHttpHandler(async (event, context) => {
  if (event.resource === '/staff/surveys') {
    return seeOther(`${staffPath(`/surveys/${businessYear(new Date())}`)}${langSuffix(event)}`);
  }
  const year = z.safeParse(yearSchema, pathParameter(event, 'year') ?? '');
  if (!year.success) return jsonResponse(404, { error: 'not_found' });
  const route = `${event.httpMethod} ${event.resource}`;
  switch (route) {
    case 'GET /staff/surveys/{year}':
      return page(event, context, year.data);
    case 'POST /staff/surveys/{year}/answers':
      return enter(event, context, year.data);
    case 'GET /staff/surveys/{year}/forms':
    case 'GET /staff/surveys/{year}/calls':
      return paper(event, context, year.data, route.endsWith('/forms') ? 'forms' : 'calls');
    default:
      return jsonResponse(404, { error: 'not_found' });
  }
});

function langSuffix(event: APIGatewayProxyEvent) {
  return consoleLanguageOf(event) === 'en' ? '?lang=en' : '';
}

/** The surveying departments whose lists the user may print: gm and office both, owners their own. */
function departmentsOf(user: StaffUser): DepartmentCode[] {
  const all = user.roles.includes('gm') || user.roles.includes('office');
  return surveyingDepartments.filter((department) => all || user.roles.includes(department));
}

async function page(
  event: APIGatewayProxyEvent,
  context: StaffContext,
  year: number,
  extra: {
    notice?: EntryNotice;
    status?: number;
    errors?: Record<string, string>;
    values?: Record<string, string>;
    customer?: string;
  } = {},
) {
  const { user } = context.staff;
  const query = (queryParameter(event, 'q') ?? '').slice(0, 100);
  const customer = extra.customer ?? queryParameter(event, 'customer');
  const done = queryParameter(event, 'done');
  const selected = customer ? await getInvitation(year, customer.slice(0, 254)) : undefined;
  const notice = extra.notice ?? (done === 'recorded' ? { kind: 'recorded' as const } : undefined);
  return htmlResponse(
    extra.status ?? 200,
    surveyConsolePage({
      user,
      csrf: csrfOf(event),
      lang: consoleLanguageOf(event),
      year,
      departments: departmentsOf(user),
      query,
      results: await findSurveys(year, query, user.roles),
      ...(selected && maySurvey(user.roles, selected) ? { selected } : {}),
      ...(notice ? { notice } : {}),
      ...(extra.errors ? { errors: extra.errors } : {}),
      ...(extra.values ? { values: extra.values } : {}),
    }),
  );
}

async function enter(event: APIGatewayProxyEvent, context: StaffContext, year: number) {
  const body = readStaffBody(event, maxBodyBytes);
  if (!body.ok) return body.response;
  const entry = z.safeParse(entrySchema, body.data);
  if (!entry.success) return jsonResponse(400, { error: 'validation_failed' });
  const answer = parseSurveyAnswer(body.data);
  if (!answer.ok) {
    const values = Object.fromEntries(
      Object.entries(z.parse(z.record(z.string(), z.unknown()), body.data)).filter(
        (pair): pair is [string, string] => typeof pair[1] === 'string',
      ),
    );
    return page(event, context, year, {
      status: 400,
      errors: answer.errors,
      values,
      customer: entry.data.customer,
    });
  }
  const { user } = context.staff;
  const outcome = await enterSurveyAnswer({
    year,
    email: entry.data.customer,
    answer: answer.value,
    channel: entry.data.channel,
    enteredBy: { email: user.email, name: user.name, roles: user.roles },
    now: new Date(),
  });
  if (outcome.outcome === 'recorded') {
    return backToPage(event, `/surveys/${year}`, 'recorded', { customer: entry.data.customer });
  }
  const status = { already_answered: 409, closed: 409, not_in_survey: 404, hidden: 403 }[
    outcome.outcome
  ];
  const notice: EntryNotice =
    outcome.outcome === 'already_answered'
      ? { kind: 'already_answered', answeredAt: outcome.answeredAt, channel: outcome.channel }
      : { kind: outcome.outcome };
  return page(event, context, year, { status, notice, customer: entry.data.customer });
}

async function paper(
  event: APIGatewayProxyEvent,
  context: StaffContext,
  year: number,
  kind: 'forms' | 'calls',
) {
  const department = z.safeParse(z.enum(surveyingDepartments), queryParameter(event, 'department'));
  if (!department.success)
    return jsonResponse(400, {
      error: 'validation_failed',
      fields: { department: 'sales or export' },
    });
  if (!departmentsOf(context.staff.user).includes(department.data)) {
    return jsonResponse(403, { error: 'forbidden', message: 'Not one of your departments' });
  }
  const surveys = await offlineSurveysOf(year, department.data);
  const options = {
    year,
    department: department.data,
    departmentName: departmentNames[department.data],
    company: site().company,
  };
  if (kind === 'calls' && queryParameter(event, 'format') === 'csv') {
    return csvDownload(`survey-calls-${year}-${department.data}.csv`, callListCsv(surveys));
  }
  return htmlResponse(
    200,
    kind === 'forms'
      ? questionnairesDocument(surveys, options)
      : callListDocument(surveys, options),
  );
}
