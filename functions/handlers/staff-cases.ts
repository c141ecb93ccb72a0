/**
 * Case handling for staff: the JSON API (`/staff/api/complaints…`) and the console's
 * complaint page with its action forms (`/staff/complaints/{reference}`), which post to
 * the same service and answer with pages instead of JSON.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import { parseCaseAction } from '#functions/contract/case-actions.ts';
import { parseStaffComplaintEntry } from '#functions/contract/complaint-submission.ts';
import { idempotencyKeyOf } from '#functions/contract/idempotency-key.ts';
import { parseVisitSchedule } from '#functions/contract/visits.ts';
import { categories, isReference, statuses } from '#functions/domain/complaint.ts';
import { departmentCodes } from '#functions/domain/departments.ts';
import { caseView, listQueue } from '#functions/services/case-views.ts';
import { type ActionOutcome, canSee, loadCase, takeAction } from '#functions/services/cases.ts';
import { receiveComplaint } from '#functions/services/intake.ts';
import { scheduleVisit } from '#functions/services/visits.ts';
import {
  header,
  htmlResponse,
  jsonResponse,
  pathParameter,
  queryParameter,
} from '#functions/shared/http.ts';
import { statusUrl } from '#functions/shared/links.ts';
import { type StaffContext, staffHttpHandler } from '#functions/shared/staff-auth.ts';
import {
  backToPage,
  consoleLanguageOf,
  csrfOf,
  invalidIdempotencyKey,
  readStaffBody,
  refusedForm,
  type StaffAnswer,
} from '#functions/shared/staff-forms.ts';
import { caseNotFoundPage, casePage } from '#functions/web/case-pages.ts';

const maxBodyBytes = 64 * 1024;

const listQuery = z.lazy(() =>
  z.object({
    department: z.optional(z.enum(departmentCodes)),
    status: z.optional(z.enum(statuses)),
    category: z.optional(z.enum(categories)),
    overdue: z.optional(z.enum(['true', 'false'])),
    cursor: z.optional(z.string().check(z.regex(/^[0-9TZ:.-]{10,40}#[0-9a-f-]{36}$/))),
    limit: z.optional(z.string().check(z.regex(/^([1-9]|[1-9][0-9]|100)$/))),
  }),
);

export const handler = staffHttpHandler(async (event, context) => {
  const route = `${event.httpMethod} ${event.resource}`;
  const now = new Date();
  switch (route) {
    case 'GET /staff/api/complaints':
      return list(event, context, now);
    case 'POST /staff/api/complaints':
      return keyIn(event, now);
    case 'GET /staff/api/complaints/{reference}':
      return detail(event, context);
    case 'POST /staff/api/complaints/{reference}/actions':
      return act(event, context, 'json', now);
    case 'GET /staff/complaints/{reference}':
      return page(event, context);
    case 'POST /staff/complaints/{reference}/actions':
      return act(event, context, 'page', now);
    case 'POST /staff/api/complaints/{reference}/visits':
      return schedule(event, context, 'json', now);
    case 'POST /staff/complaints/{reference}/visits':
      return schedule(event, context, 'page', now);
    default:
      return jsonResponse(404, { error: 'not_found' });
  }
});

async function list(event: APIGatewayProxyEvent, context: StaffContext, now: Date) {
  const parsed = z.safeParse(listQuery, event.queryStringParameters ?? {});
  if (!parsed.success) {
    return jsonResponse(400, {
      error: 'validation_failed',
      fields: Object.fromEntries(
        parsed.error.issues.map((issue) => [issue.path.join('.'), 'Invalid value']),
      ),
    });
  }
  const query = parsed.data;
  const answer = await listQueue({
    roles: context.staff.user.roles,
    ...(query.department ? { department: query.department } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.category ? { category: query.category } : {}),
    ...(query.overdue ? { overdue: query.overdue === 'true' } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {}),
    limit: Number(query.limit ?? 25),
    now,
  });
  if (answer.outcome === 'forbidden') {
    return jsonResponse(403, { error: 'forbidden', message: 'Not one of your departments' });
  }
  return jsonResponse(200, { items: answer.items, nextCursor: answer.nextCursor ?? null });
}

async function detail(event: APIGatewayProxyEvent, context: StaffContext) {
  const reference = pathParameter(event, 'reference') ?? '';
  const loaded = isReference(reference) ? await loadCase(reference) : undefined;
  if (!loaded) return jsonResponse(404, { error: 'not_found' });
  const { roles } = context.staff.user;
  if (!canSee(roles, loaded.parties)) return jsonResponse(403, { error: 'forbidden' });
  return jsonResponse(200, {
    ...(await caseView(loaded, roles)),
    capaReferences: capaReferencesOf(loaded.complaint),
  });
}

/** The CAPA that name this complaint (written on the complaint, add-only, by CAPA creation). */
function capaReferencesOf(complaint: unknown): string[] {
  const parsed = z.safeParse(
    z.object({ capaReferences: z.optional(z.array(z.string())) }),
    complaint,
  );
  return parsed.success ? (parsed.data.capaReferences ?? []) : [];
}

async function page(event: APIGatewayProxyEvent, context: StaffContext) {
  const reference = pathParameter(event, 'reference') ?? '';
  const lang = consoleLanguageOf(event);
  const csrf = csrfOf(event);
  const loaded = isReference(reference) ? await loadCase(reference) : undefined;
  const { user } = context.staff;
  if (!loaded || !canSee(user.roles, loaded.parties)) {
    return htmlResponse(404, caseNotFoundPage(user, csrf, lang));
  }
  const notice = queryParameter(event, 'done');
  return htmlResponse(
    200,
    casePage({
      user,
      csrf,
      lang,
      view: await caseView(loaded, user.roles),
      capaReferences: capaReferencesOf(loaded.complaint),
      ...(notice ? { notice } : {}),
    }),
  );
}

async function act(
  event: APIGatewayProxyEvent,
  context: StaffContext,
  answer: StaffAnswer,
  now: Date,
) {
  const reference = pathParameter(event, 'reference') ?? '';
  const body = readStaffBody(event, maxBodyBytes);
  if (!body.ok) return body.response;
  const key = idempotencyKeyOf(header(event, 'idempotency-key'));
  if (!key.ok) return invalidIdempotencyKey();
  const parsed = parseCaseAction(body.data);
  if (!parsed.ok)
    return refusedForm(answer, parsed.errors, () => backToCase(event, reference, 'invalid'));
  const { user } = context.staff;
  const outcome = isReference(reference)
    ? await takeAction({
        reference,
        actor: { kind: 'staff', email: user.email, name: user.name, roles: [...user.roles] },
        version: parsed.value.version,
        input: parsed.value.input,
        ...(key.key ? { idempotencyKey: key.key } : {}),
        now,
      })
    : ({ outcome: 'not_found' } satisfies ActionOutcome);
  if (answer === 'page') return backToCase(event, reference, outcome.outcome);
  return actionResponse(outcome);
}

function actionResponse(outcome: ActionOutcome): APIGatewayProxyResult {
  switch (outcome.outcome) {
    case 'done':
      return jsonResponse(200, { status: outcome.status, version: outcome.version });
    case 'not_found':
      return jsonResponse(404, { error: 'not_found' });
    case 'hidden':
      return jsonResponse(403, { error: 'forbidden', message: 'Not assigned to your departments' });
    case 'forbidden':
      return jsonResponse(403, {
        error: 'forbidden',
        message: 'Your roles may not take this action',
      });
    case 'not_allowed':
      return jsonResponse(422, {
        error: 'action_not_allowed',
        message: `Not allowed while ${outcome.status}`,
        status: outcome.status,
        allowed: outcome.allowed,
      });
    case 'stale':
      return jsonResponse(409, {
        error: 'stale_version',
        message: 'Someone acted on this complaint first: read it again',
        version: outcome.version,
      });
    case 'key_reused':
      return jsonResponse(422, {
        error: 'idempotency_key_reused',
        message: 'This Idempotency-Key was used for a different action',
      });
  }
}

/** An on-site visit, scheduled by the owner (or the GM): 201 with its id and window. */
async function schedule(
  event: APIGatewayProxyEvent,
  context: StaffContext,
  answer: StaffAnswer,
  now: Date,
) {
  const reference = pathParameter(event, 'reference') ?? '';
  const body = readStaffBody(event, maxBodyBytes);
  if (!body.ok) return body.response;
  const key = idempotencyKeyOf(header(event, 'idempotency-key'), body.data);
  if (!key.ok) return invalidIdempotencyKey();
  const parsed = parseVisitSchedule(body.data);
  if (!parsed.ok)
    return refusedForm(answer, parsed.errors, () => backToCase(event, reference, 'invalid'));
  const { user } = context.staff;
  const outcome = isReference(reference)
    ? await scheduleVisit({
        reference,
        actor: { email: user.email, name: user.name, roles: [...user.roles] },
        input: parsed.value,
        now,
        ...(key.key ? { idempotencyKey: key.key } : {}),
      })
    : ({ outcome: 'not_found' } as const);
  if (answer === 'page') {
    return backToCase(
      event,
      reference,
      outcome.outcome === 'scheduled' ? 'visit_scheduled' : outcome.outcome,
    );
  }
  switch (outcome.outcome) {
    case 'scheduled':
      return jsonResponse(201, {
        visitId: outcome.visitId,
        startsAt: outcome.startsAt,
        endsAt: outcome.endsAt,
      });
    case 'not_found':
      return jsonResponse(404, { error: 'not_found' });
    case 'forbidden':
      return jsonResponse(403, {
        error: 'forbidden',
        message: 'Only the owner or the GM schedules visits',
      });
    case 'invalid':
      return jsonResponse(422, { error: 'visit_not_possible', fields: outcome.errors });
    case 'key_reused':
      return jsonResponse(422, {
        error: 'idempotency_key_reused',
        message: 'This Idempotency-Key was used for a different visit',
      });
  }
}

/** Post/redirect/get to the complaint's page (`done=` says what happened). */
function backToCase(event: APIGatewayProxyEvent, reference: string, done: string) {
  const safe = isReference(reference) ? reference : '';
  return backToPage(event, `/complaints/${encodeURIComponent(safe)}`, done);
}

async function keyIn(event: APIGatewayProxyEvent, now: Date) {
  const body = readStaffBody(event, maxBodyBytes);
  if (!body.ok) return body.response;
  const keyHeader = header(event, 'idempotency-key');
  const data =
    keyHeader !== undefined && body.data !== null && typeof body.data === 'object'
      ? { ...body.data, idempotencyKey: keyHeader }
      : body.data;
  const parsed = parseStaffComplaintEntry(data, now);
  if (!parsed.ok) return jsonResponse(400, { error: 'validation_failed', fields: parsed.errors });
  const intake = await receiveComplaint(parsed.value.draft, parsed.value.idempotencyKey, now);
  switch (intake.outcome) {
    case 'key_reused':
      return jsonResponse(422, { error: 'idempotency_key_reused' });
    case 'accepted':
      return jsonResponse(202, {
        id: intake.result.id,
        reference: intake.result.reference,
        status: 'received',
        statusUrl: statusUrl(intake.result.reference),
      });
  }
}
