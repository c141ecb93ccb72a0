/** GET /openapi.json: the API's description, generated from the wiring and its schemas. */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { openApiDocument } from '#functions/contract/openapi.ts';
import { jsonResponse } from '#functions/shared/http.ts';

let document: Record<string, unknown> | undefined;

export async function handler(): Promise<APIGatewayProxyResult> {
  document ??= openApiDocument();
  return jsonResponse(200, document);
}
