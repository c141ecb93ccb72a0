/** Every HTTP handler runs inside this: an unexpected error becomes a plain 500, logged without request data. */
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { jsonResponse } from './http.ts';
import { errorFields, log } from './log.ts';

type HttpFunction = (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<APIGatewayProxyResult>;

export function httpHandler(handle: HttpFunction) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>(handle).onError(internalError);
}

export function internalError(request: {
  event: APIGatewayProxyEvent;
  error: unknown;
  response?: APIGatewayProxyResult | null;
}): void {
  log.error('request failed', { route: request.event.resource, ...errorFields(request.error) });
  request.response = jsonResponse(500, {
    error: 'internal_error',
    message: 'Something went wrong on our side. Please try again later.',
  });
}
