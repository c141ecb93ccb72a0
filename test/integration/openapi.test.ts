/** The API's OpenAPI 3.1 description: served by the host, valid, and naming every route. */
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { requestBodies } from '#functions/contract/openapi.ts';
import { functionSpecs } from '#functions/wiring.ts';
import { useTestHost } from '#test/support/local-host.ts';

const host = useTestHost();

const routes = functionSpecs().flatMap(([, spec]) =>
  spec.trigger.kind === 'http'
    ? spec.trigger.routes.map((route) => `${route.method} ${route.path}`)
    : [],
);

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const response = await fetch(`${host().url}/openapi.json`);
    expect(response.status).toBe(200);
    const document: unknown = await response.json();
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(document)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every route of the wiring, and the body schemas of the routes that take one', async () => {
    const document = (await (await fetch(`${host().url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown; security?: unknown }>>;
    };
    const described = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(described.sort()).toEqual([...routes].sort());
    // A body schema named for a route the wiring does not have would be drift.
    for (const route of Object.keys(requestBodies)) expect(routes).toContain(route);
    const submit = document.paths['/complaints']?.post;
    expect(JSON.stringify(submit?.requestBody)).toContain('"customer"');
    expect(document.paths['/staff/api/complaints']?.get?.security).toBeDefined();
    expect(document.paths['/complaints']?.post?.security).toBeUndefined();
  });
});
