/**
 * GET /openapi.json: the API's description, generated from the wiring and its schemas. A
 * bundle carries it as built when it was bundled (`bundleDefines`, infra/aws/bundling.ts), so
 * a cold start neither loads zod nor builds the document; the local host, which runs the
 * sources, builds it on the first request.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { jsonTextResponse } from '#functions/shared/http.ts';

/** Replaced by the document's JSON text in a bundle; undeclared when running the sources. */
declare const AFTERCARE_OPENAPI_JSON: string | undefined;

let document: string | undefined;

export async function handler(): Promise<APIGatewayProxyResult> {
  document ??=
    typeof AFTERCARE_OPENAPI_JSON === 'string'
      ? AFTERCARE_OPENAPI_JSON
      : JSON.stringify((await import('#functions/contract/openapi.ts')).openApiDocument());
  return jsonTextResponse(200, document);
}
