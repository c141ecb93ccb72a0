/**
 * The OpenAPI 3.1 description of the public and staff routes, generated from the wiring's
 * route list and the zod schemas that validate the request bodies (zod's `toJSONSchema`,
 * their input side), so it cannot drift from what the handlers accept.
 */
import * as z from 'zod/mini';
import { functionSpecs } from '#functions/wiring.ts';
import { caseActionBody } from './case-actions.ts';
import { caseFeedbackAnswer } from './case-feedback.ts';
import { complaintSubmission, staffComplaintEntry } from './complaint-submission.ts';
import { surveyAnswerSubmission } from './survey-answer.ts';
import { visitReportInput, visitScheduleInput } from './visits.ts';

/** The schema each route with a body is validated with, by `METHOD path` of the wiring. */
export const requestBodies: Record<string, z.ZodMiniType> = {
  'POST /complaints': complaintSubmission,
  'POST /staff/api/complaints': staffComplaintEntry,
  'POST /staff/api/complaints/{reference}/actions': caseActionBody,
  'POST /survey/{token}': surveyAnswerSubmission,
  'POST /feedback/{token}': caseFeedbackAnswer,
  'POST /staff/api/complaints/{reference}/visits': visitScheduleInput,
  'POST /visit/{token}': visitReportInput,
};

function jsonSchema(schema: z.ZodMiniType): Record<string, unknown> {
  // Transforms have no JSON Schema: the input side is described, as a client sends it.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  });
  return rest;
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of functionSpecs()) {
    if (spec.trigger.kind !== 'http') continue;
    for (const route of spec.trigger.routes) {
      const parameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
        name: match[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      const body = requestBodies[`${route.method} ${route.path}`];
      const schema = body ? jsonSchema(body) : undefined;
      const operations = paths[route.path] ?? {};
      paths[route.path] = operations;
      operations[route.method.toLowerCase()] = {
        operationId: `${name}${route.method}${route.path.replace(/[^A-Za-z0-9]+/g, '_')}`,
        description: spec.description,
        ...(parameters.length ? { parameters } : {}),
        ...(schema
          ? {
              requestBody: {
                required: true,
                content: {
                  'application/json': { schema },
                  'application/x-www-form-urlencoded': { schema },
                },
              },
            }
          : {}),
        ...(route.public ? {} : { security: [{ staffToken: [] }, { staffSession: [] }] }),
        responses: { default: { description: 'JSON or HTML, by the Accept header' } },
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Aftercare', version: '1' },
    paths,
    components: {
      securitySchemes: {
        staffToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        staffSession: { type: 'apiKey', in: 'cookie', name: 'aftercare_session' },
      },
    },
  };
}
