/**
 * The one HTTP handler factory: middy with its own middlewares, in the order middy's docs give
 * them. Header names are lower-cased, the Accept header negotiated (JSON or HTML), the body
 * read (413 over the size, 415 for another media type, 400 for broken JSON: JSON for API
 * clients, a bilingual page for a form post), security headers added, and any error answered
 * by middy's error handler: an unexpected one as a plain 500, logged without request data.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpContentNegotiation from '@middy/http-content-negotiation';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import { createError } from '@middy/util';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { messageResponse } from '#functions/web/pages.ts';
import { type ParsedBody, readBody, rememberBody, rememberMediaType, wantsHtml } from './http.ts';
import { errorFields, log, logger } from './log.ts';

type HttpFunction<C extends Context = Context> = (
  event: APIGatewayProxyEvent,
  context: C,
) => Promise<APIGatewayProxyResult>;

type HttpMiddleware<C extends Context = Context> = MiddlewareObj<
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Error,
  C
>;

export interface HttpHandlerOptions {
  /** The largest body any route of the handler takes; a route may take less (`parseBody`). */
  maxBodyBytes?: number;
}

/** The largest body of any route today (the complaint form). */
export const defaultMaxBodyBytes = 64 * 1024;

export const internalErrorBody = JSON.stringify({
  error: 'internal_error',
  message: 'Something went wrong on our side. Please try again later.',
});

/** An HTTP handler: `handle` gets the request after the middlewares below have read it. */
export function httpHandler(handle: HttpFunction, options: HttpHandlerOptions = {}) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(httpMiddlewares<Context>(options))
    .handler(handle);
}

/**
 * The middlewares of every HTTP handler; `inner` (the staff authentication) runs after the
 * body is read and before the handler.
 */
export function httpMiddlewares<C extends Context>(
  options: HttpHandlerOptions,
  inner: HttpMiddleware<C>[] = [],
): HttpMiddleware<C>[] {
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  return [
    injectLambdaContext(logger, { resetKeys: true }),
    routeInLogs(),
    httpHeaderNormalizer(),
    httpContentNegotiation({
      parseCharsets: false,
      parseEncodings: false,
      parseLanguages: false,
      availableMediaTypes: ['application/json', 'text/html'],
      failOnMismatch: false,
    }),
    negotiatedMediaType(),
    bodyReading(maxBodyBytes),
    ...inner,
    httpSecurityHeaders({
      // Ours, per response (http.ts): the page's CSP names where its forms may post.
      contentSecurityPolicy: false,
      contentTypeOptions: false,
      referrerPolicy: false,
      permissionsPolicy: { camera: '', microphone: '', geolocation: '', payment: '', usb: '' },
    }),
    httpErrorHandler({
      logger: (error) => {
        if (!isClientError(error)) log.error('request failed', errorFields(error));
      },
      fallbackMessage: internalErrorBody,
    }),
  ];
}

function isClientError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status: unknown = Reflect.get(error, 'statusCode');
  return typeof status === 'number' && status < 500 && Reflect.get(error, 'expose') !== false;
}

/** The route in every log line of the request (Powertools' persistent keys, reset per request). */
function routeInLogs<C extends Context>(): HttpMiddleware<C> {
  return {
    before: (request) => {
      logger.appendKeys({ route: request.event.resource });
    },
  };
}

/** Keeps middy's negotiated media type for `wantsHtml(event)`, which handlers call with the event. */
function negotiatedMediaType<C extends Context>(): HttpMiddleware<C> {
  return {
    before: (request) => {
      const chosen: unknown = Reflect.get(request.context, 'preferredMediaType');
      rememberMediaType(request.event, typeof chosen === 'string' ? chosen : undefined);
    },
  };
}

/** Reads a body (with middy's parsers, http.ts) before the handler; a refusal is thrown to the error handler. */
function bodyReading<C extends Context>(maxBodyBytes: number): HttpMiddleware<C> {
  return {
    before: (request) => {
      const { event } = request;
      if (!event.body) return;
      const read = readBody(event, maxBodyBytes);
      rememberBody(event, read);
      if (!read.result.ok) throw bodyRefusal(event, read.result, maxBodyBytes);
    },
  };
}

/** An error middy's error handler answers as is: a bilingual page for a browser's form, else JSON. */
export function bodyRefusal(
  event: APIGatewayProxyEvent,
  refusal: Extract<ParsedBody, { ok: false }>,
  maxBytes: number,
): Error {
  if (refusal.status === 413 && (isFormPost(event) || wantsHtml(event))) {
    const kb = Math.round(maxBytes / 1024);
    const page = messageResponse(
      413,
      { zh: '内容过长', en: 'Too long' },
      {
        zh: `提交的内容超过 ${kb} KB，请缩短后重试。`,
        en: `The form is over ${kb} KB. Please shorten it and try again.`,
      },
    );
    return httpError(page);
  }
  return httpError({
    statusCode: refusal.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify({ error: refusal.error, message: refusal.message }),
  });
}

/** A ready response as middy's HttpError: its message is the body, its headers the headers. */
export function httpError(response: APIGatewayProxyResult): Error {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    // The error handler writes `Content-Type`; ours replaces it rather than standing beside it.
    headers[name === 'content-type' ? 'Content-Type' : name] = String(value);
  }
  const error = createError(response.statusCode, response.body, { expose: true });
  error.headers = headers;
  return error;
}

function isFormPost(event: APIGatewayProxyEvent): boolean {
  return (event.headers?.['content-type'] ?? '').includes('application/x-www-form-urlencoded');
}
