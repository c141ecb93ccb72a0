/**
 * CAPA for staff: the JSON API (`/staff/api/capa…`) and the console pages (`/staff/capa`,
 * `/staff/capa/new`, `/staff/capa/{reference}`), whose forms post to the same service and
 * answer with pages (post/redirect/get) instead of JSON.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import { parseCapaStep, parseNewCapa } from '#functions/contract/capa.ts';
import type { FieldErrors } from '#functions/contract/fields.ts';
import { idempotencyKeyOf } from '#functions/contract/idempotency-key.ts';
import type { CapaActor } from '#functions/data/capa.ts';
import { canCreateCapa, isCapaReference } from '#functions/domain/capa.ts';
import { categories, isReference } from '#functions/domain/complaint.ts';
import { categoryLabels } from '#functions/domain/labels.ts';
import {
  type CreateOutcome,
  capaView,
  createCapa,
  listCapa,
  loadCapa,
  recentYears,
  type StepOutcome,
  takeCapaStep,
} from '#functions/services/capa.ts';
import {
  header,
  htmlResponse,
  jsonResponse,
  pathParameter,
  queryParameter,
} from '#functions/shared/http.ts';
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
import {
  type CapaFormValues,
  capaListPage,
  capaNotFoundPage,
  capaPage,
  newCapaPage,
} from '#functions/web/capa-pages.ts';
import { forbiddenPage } from '#functions/web/staff-pages.ts';

const maxBodyBytes = 64 * 1024;

export const handler = staffHttpHandler(async (event, context) => {
  const route = `${event.httpMethod} ${event.resource}`;
  const now = new Date();
  switch (route) {
    case 'GET /staff/api/capa':
      return jsonList(event, now);
    case 'POST /staff/api/capa':
      return create(event, context, 'json', now);
    case 'GET /staff/api/capa/{reference}':
      return detail(event, context, now);
    case 'POST /staff/api/capa/{reference}/actions':
      return step(event, context, 'json', now);
    case 'GET /staff/capa':
      return listPage(event, context, now);
    case 'POST /staff/capa':
      return create(event, context, 'page', now);
    case 'GET /staff/capa/new':
      return newPage(event, context);
    case 'GET /staff/capa/{reference}':
      return page(event, context, now);
    case 'POST /staff/capa/{reference}/actions':
      return step(event, context, 'page', now);
    default:
      return jsonResponse(404, { error: 'not_found' });
  }
});

function actorOf(context: StaffContext): CapaActor {
  const { user } = context.staff;
  return { kind: 'staff', email: user.email, name: user.name, roles: [...user.roles] };
}

const yearQuery = z.optional(
  z.pipe(
    z.string().check(z.regex(/^\d{4}$/)),
    z.transform((value) => Number(value)),
  ),
);

async function jsonList(event: APIGatewayProxyEvent, now: Date) {
  const year = z.safeParse(yearQuery, queryParameter(event, 'year'));
  if (!year.success) {
    return jsonResponse(400, { error: 'validation_failed', fields: { year: 'Invalid value' } });
  }
  const items = await listCapa(year.data === undefined ? recentYears(now) : [year.data]);
  return jsonResponse(200, { items });
}

async function listPage(event: APIGatewayProxyEvent, context: StaffContext, now: Date) {
  const items = await listCapa(recentYears(now));
  return htmlResponse(
    200,
    capaListPage({
      user: context.staff.user,
      csrf: csrfOf(event),
      lang: consoleLanguageOf(event),
      items,
      now,
    }),
  );
}

/** A statistics suggestion links here: `?complaints=FB-…,FB-…&category=…&productModel=…`. */
const prefillQuery = z.lazy(() =>
  z.object({
    complaints: z.optional(
      z.catch(
        z.optional(
          z.pipe(
            z.string().check(z.maxLength(2000)),
            z.transform((value) =>
              value
                .split(/[\s,]+/)
                .filter((part) => isReference(part))
                .join(', '),
            ),
          ),
        ),
        undefined,
      ),
    ),
    category: z.optional(z.catch(z.optional(z.enum(categories)), undefined)),
    productModel: z.optional(
      z.catch(z.optional(z.string().check(z.trim(), z.maxLength(200))), undefined),
    ),
  }),
);

async function newPage(event: APIGatewayProxyEvent, context: StaffContext) {
  const { user } = context.staff;
  if (!canCreateCapa(user.roles))
    return forbiddenPage(
      'CAPA is written by sales, export, qc, production_vp or gm',
      csrfOf(event),
    );
  const lang = consoleLanguageOf(event);
  const query = z.parse(prefillQuery, {
    complaints: queryParameter(event, 'complaints') || undefined,
    category: queryParameter(event, 'category') || undefined,
    productModel: queryParameter(event, 'productModel') || undefined,
  });
  const values: CapaFormValues = {};
  if (query.complaints) {
    values.complaints = query.complaints;
    values.source = 'complaints';
    values.type = 'corrective';
    const count = query.complaints.split(', ').length;
    const what = [
      query.category ? categoryLabels[query.category][lang] : '',
      query.productModel ?? '',
    ]
      .filter(Boolean)
      .join(' · ');
    values.problem =
      lang === 'zh'
        ? `${count} 件投诉同类问题${what ? `（${what}）` : ''}：`
        : `${count} complaint${count === 1 ? '' : 's'} about the same problem${what ? ` (${what})` : ''}: `;
  }
  if (query.category) values.category = query.category;
  if (query.productModel) values.productModel = query.productModel;
  // A key per form: sent twice (a double click, a reload), it is still one CAPA.
  values.idempotencyKey = randomUUID();
  return htmlResponse(200, newCapaPage({ user, csrf: csrfOf(event), lang, values }));
}

async function create(
  event: APIGatewayProxyEvent,
  context: StaffContext,
  answer: StaffAnswer,
  now: Date,
) {
  const body = readStaffBody(event, maxBodyBytes);
  if (!body.ok) return body.response;
  const { user } = context.staff;
  const lang = consoleLanguageOf(event);
  const parsed = parseNewCapa(body.data);
  const key = idempotencyKeyOf(header(event, 'idempotency-key'), body.data);
  if (!key.ok) return invalidIdempotencyKey();
  // The form again, with what was posted and what is wrong with it.
  const formAgain = (errors: FieldErrors) =>
    htmlResponse(
      400,
      newCapaPage({ user, csrf: csrfOf(event), lang, values: formValues(body.data), errors }),
    );
  if (!parsed.ok) {
    if (!canCreateCapa(user.roles)) return refusal(answer, event);
    return refusedForm(answer, parsed.errors, formAgain);
  }
  const outcome: CreateOutcome = await createCapa({
    actor: actorOf(context),
    input: parsed.value,
    now,
    ...(key.key ? { idempotencyKey: key.key } : {}),
  });
  switch (outcome.outcome) {
    case 'forbidden':
      return refusal(answer, event);
    case 'unknown_complaints':
      return refusedForm(
        answer,
        { complaints: `Unknown / 无此投诉: ${outcome.references.join(', ')}` },
        formAgain,
      );
    case 'key_reused': {
      // The form's key is spent on the CAPA it created: this form, changed, gets a new one.
      const errors = {
        _: 'This form created a CAPA before; check it and send again for another / 此表单已创建过措施，如需另建请检查后再次提交',
      };
      if (answer === 'json') {
        return jsonResponse(422, {
          error: 'idempotency_key_reused',
          message: 'This Idempotency-Key was used for a different CAPA',
        });
      }
      return htmlResponse(
        422,
        newCapaPage({
          user,
          csrf: csrfOf(event),
          lang,
          values: { ...formValues(body.data), idempotencyKey: randomUUID() },
          errors,
        }),
      );
    }
    case 'created':
      return answer === 'page'
        ? backToPage(event, `/capa/${outcome.reference}`, 'created')
        : jsonResponse(201, { reference: outcome.reference, status: 'open', version: 1 });
  }
}

function refusal(answer: StaffAnswer, event: APIGatewayProxyEvent): APIGatewayProxyResult {
  return answer === 'page'
    ? forbiddenPage('CAPA is written by sales, export, qc, production_vp or gm', csrfOf(event))
    : jsonResponse(403, { error: 'forbidden', message: 'Your roles may not create CAPA' });
}

/** What was posted, as strings only, to show the form again. */
function formValues(data: unknown): CapaFormValues {
  const shape = z.object({
    idempotencyKey: z.optional(z.string()),
    type: z.optional(z.string()),
    source: z.optional(z.string()),
    sourceNote: z.optional(z.string()),
    complaints: z.optional(z.string()),
    category: z.optional(z.string()),
    productModel: z.optional(z.string()),
    problem: z.optional(z.string()),
    rootCause: z.optional(z.string()),
    actions: z.optional(
      z.record(
        z.string(),
        z.object({
          description: z.optional(z.string()),
          department: z.optional(z.string()),
          dueDate: z.optional(z.string()),
        }),
      ),
    ),
    effectiveness: z.optional(
      z.object({ method: z.optional(z.string()), dueDate: z.optional(z.string()) }),
    ),
  });
  const parsed = z.safeParse(shape, data);
  if (!parsed.success) return {};
  const { actions, ...rest } = parsed.data;
  return {
    ...rest,
    ...(actions ? { actions: ['0', '1', '2'].map((index) => actions[index] ?? {}) } : {}),
  };
}

async function detail(event: APIGatewayProxyEvent, context: StaffContext, now: Date) {
  const reference = pathParameter(event, 'reference') ?? '';
  const loaded = isCapaReference(reference) ? await loadCapa(reference) : undefined;
  if (!loaded) return jsonResponse(404, { error: 'not_found' });
  return jsonResponse(200, await capaView(loaded, context.staff.user.roles, now));
}

async function page(event: APIGatewayProxyEvent, context: StaffContext, now: Date) {
  const reference = pathParameter(event, 'reference') ?? '';
  const lang = consoleLanguageOf(event);
  const csrf = csrfOf(event);
  const { user } = context.staff;
  const loaded = isCapaReference(reference) ? await loadCapa(reference) : undefined;
  if (!loaded) return htmlResponse(404, capaNotFoundPage(user, csrf, lang));
  const notice = queryParameter(event, 'done');
  return htmlResponse(
    200,
    capaPage({
      user,
      csrf,
      lang,
      view: await capaView(loaded, user.roles, now),
      ...(notice ? { notice } : {}),
    }),
  );
}

async function step(
  event: APIGatewayProxyEvent,
  context: StaffContext,
  answer: StaffAnswer,
  now: Date,
) {
  const reference = pathParameter(event, 'reference') ?? '';
  const body = readStaffBody(event, maxBodyBytes);
  if (!body.ok) return body.response;
  const parsed = parseCapaStep(body.data);
  if (!parsed.ok)
    return refusedForm(answer, parsed.errors, () => backToCapa(event, reference, 'invalid'));
  const outcome: StepOutcome = isCapaReference(reference)
    ? await takeCapaStep({
        reference,
        actor: actorOf(context),
        version: parsed.value.version,
        input: parsed.value.input,
        now,
      })
    : { outcome: 'not_found' };
  if (answer === 'page') return backToCapa(event, reference, outcome.outcome);
  switch (outcome.outcome) {
    case 'done':
      return jsonResponse(200, { status: outcome.status, version: outcome.version });
    case 'not_found':
      return jsonResponse(404, { error: 'not_found' });
    case 'forbidden':
      return jsonResponse(403, {
        error: 'forbidden',
        message: 'Your roles may not take this step',
      });
    case 'not_allowed':
      return jsonResponse(422, {
        error: 'action_not_allowed',
        message: `Not allowed now (${outcome.status})`,
        status: outcome.status,
        allowed: outcome.allowed,
      });
    case 'stale':
      return jsonResponse(409, {
        error: 'stale_version',
        message: 'Someone acted on this CAPA first: read it again',
        version: outcome.version,
      });
  }
}

/** Post/redirect/get to the CAPA's page (`done=` says what happened). */
function backToCapa(event: APIGatewayProxyEvent, reference: string, done: string) {
  const safe = isCapaReference(reference) ? reference : '';
  return backToPage(event, `/capa/${encodeURIComponent(safe)}`, done);
}
