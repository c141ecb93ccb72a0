/** API Gateway (REST, proxy) requests in and responses out. */

import type middy from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpUrlencodeBodyParser from '@middy/http-urlencode-body-parser';
import type { ALBEvent, APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import {
  emptyRecord,
  isPrototypeKey,
  maxNestingDepth,
  nestsDeeperThan,
} from '#functions/contract/plain-data.ts';
import type { SafeHtml } from './html.ts';

/** Any event with API Gateway's headers: a proxy event or a request authorizer's. */
export interface HasHeaders {
  headers: Record<string, string | undefined> | null;
}

export function header(event: HasHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/**
 * A path parameter, percent-decoded here rather than trusted to arrive decoded: API Gateway's
 * REST proxy passes it as the client sent it. A malformed escape (`%zz`) gives undefined,
 * which every route answers as not found.
 */
export function pathParameter(
  event: Pick<APIGatewayProxyEvent, 'pathParameters'>,
  name: string,
): string | undefined {
  const raw = event.pathParameters?.[name];
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

export function queryParameter(event: APIGatewayProxyEvent, name: string): string | undefined {
  return event.queryStringParameters?.[name] ?? undefined;
}

export type BodyFormat = 'json' | 'form';

export type ParsedBody =
  | { ok: true; format: BodyFormat; data: unknown }
  | { ok: false; status: 400 | 413 | 415; error: string; message: string };

/** The body as the factory's middlewares read it, by event (see `readBody`). */
const readBodies = new WeakMap<object, { result: ParsedBody; bytes: number }>();

/** What the parsers are handed besides the body: they read nothing else. */
/**
 * The event the parsers are given: of the event types they take, the load balancer's has the
 * fewest required fields, and they read only its headers and body.
 */
const blankEvent: ALBEvent = {
  body: null,
  headers: {},
  httpMethod: 'POST',
  isBase64Encoded: false,
  path: '/',
  requestContext: { elb: { targetGroupArn: '' } },
};
const blankContext: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: '',
  functionVersion: '',
  invokedFunctionArn: '',
  memoryLimitInMB: '',
  awsRequestId: '',
  logGroupName: '',
  logStreamName: '',
  getRemainingTimeInMillis: () => 0,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

/**
 * Middy's parsers, told to leave a body of the other type alone (the media type is checked
 * first). Marked pure so that a bundle that never reads a body (`openApi`, the authorizer)
 * leaves them and their `node:querystring` out.
 */
const jsonParser = /* @__PURE__ */ httpJsonBodyParser<ALBEvent>({ disableContentTypeError: true });
const formParser = /* @__PURE__ */ httpUrlencodeBodyParser<ALBEvent>({
  disableContentTypeError: true,
});

function formatOf(event: HasHeaders): BodyFormat | undefined {
  const mediaType = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json'
    ? 'json'
    : mediaType === 'application/x-www-form-urlencoded'
      ? 'form'
      : undefined;
}

const unsupported = {
  ok: false,
  status: 415,
  error: 'unsupported_media_type',
  message: 'Send application/json or application/x-www-form-urlencoded',
} as const;

const invalidJson = {
  ok: false,
  status: 400,
  error: 'invalid_json',
  message: 'The body is not valid JSON',
} as const;

const deeplyNested = {
  ok: false,
  status: 400,
  error: 'too_deeply_nested',
  message: `The body may nest objects and arrays at most ${maxNestingDepth} levels deep`,
} as const;

function tooDeep(text: string): boolean {
  try {
    return nestsDeeperThan(JSON.parse(text), maxNestingDepth);
  } catch {
    return false;
  }
}

function tooLarge(maxBytes: number): ParsedBody {
  return {
    ok: false,
    status: 413,
    error: 'payload_too_large',
    message: `The body may be at most ${maxBytes} bytes`,
  };
}

/**
 * Reads a JSON or urlencoded body with middy's body parsers, refusing anything larger than
 * `maxBytes` (before parsing) or nested deeper than `maxNestingDepth`, so nothing that walks
 * the body afterwards can run out of stack. No middy middleware limits a body's size or
 * nesting, or nests dotted form names, so those three checks are ours.
 */
export function readBody(
  event: Pick<APIGatewayProxyEvent, 'headers' | 'body' | 'isBase64Encoded'>,
  maxBytes: number,
): { result: ParsedBody; bytes: number } {
  const format = formatOf(event);
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const bytes = raw.byteLength;
  if (!format) return { result: unsupported, bytes };
  if (bytes > maxBytes) return { result: tooLarge(maxBytes), bytes };
  const text = raw.toString('utf8');
  // The parsers replace the body they read: they get a copy, so the handler's event keeps its text.
  const request: middy.Request<ALBEvent> = {
    event: {
      ...blankEvent,
      headers: { 'content-type': header(event, 'content-type') },
      body: text,
    },
    context: blankContext,
    response: undefined,
    error: undefined,
    internal: {},
  };
  const formRequest = { ...request, event: { ...request.event, body: text } };
  try {
    if (format === 'json') jsonParser.before?.(request);
    else formParser.before?.(formRequest);
  } catch {
    // Middy's parser walks the parsed value (for `__proto__` keys) and runs out of stack on a
    // deep one: a body that parses without that walk was too deep, not malformed.
    return { result: tooDeep(text) ? deeplyNested : invalidJson, bytes };
  }
  if (format === 'form') {
    const fields = formToObject(formEntries(formRequest.event.body));
    return { result: { ok: true, format, data: fields }, bytes };
  }
  const parsed: unknown = request.event.body;
  if (nestsDeeperThan(parsed, maxNestingDepth)) return { result: deeplyNested, bytes };
  return { result: { ok: true, format, data: parsed }, bytes };
}

/** Records what the HTTP handler factory read, for `parseBody` to answer from. */
export function rememberBody(event: object, read: { result: ParsedBody; bytes: number }): void {
  readBodies.set(event, read);
}

/**
 * The request's body, at most `maxBytes`: what the handler factory's parsers read, or read
 * now for an event that did not pass through the factory.
 */
export function parseBody(
  event: Pick<APIGatewayProxyEvent, 'headers' | 'body' | 'isBase64Encoded'>,
  maxBytes: number,
): ParsedBody {
  const read = readBodies.get(event) ?? readBody(event, maxBytes);
  if (read.result.ok && read.bytes > maxBytes) return tooLarge(maxBytes);
  return read.result;
}

/** `querystring.parse`'s record (an array for a repeated name) as ordered name/value pairs. */
function formEntries(parsed: unknown): URLSearchParams {
  const params = new URLSearchParams();
  if (parsed === null || typeof parsed !== 'object') return params;
  for (const [name, value] of Object.entries(parsed)) {
    for (const each of Array.isArray(value) ? value : [value]) {
      if (typeof each === 'string') params.append(name, each);
    }
  }
  return params;
}

/**
 * `customer.email=a@b.c` → `{ customer: { email: 'a@b.c' } }`; the first value of a name wins.
 * The records have no prototype and prototype keys are skipped, so no name reaches one.
 */
export function formToObject(params: URLSearchParams): Record<string, unknown> {
  const result = emptyRecord();
  for (const [name, value] of params) {
    const path = name.split('.');
    if (path.length > 3 || path.some((part) => part === '' || isPrototypeKey(part))) continue;
    const target = containerFor(result, path.slice(0, -1));
    const leaf = path.at(-1);
    if (leaf !== undefined && target && target[leaf] === undefined) target[leaf] = value;
  }
  return result;
}

/** The record at `path`, created as needed; undefined where a plain value already stands. */
function containerFor(
  root: Record<string, unknown>,
  path: string[],
): Record<string, unknown> | undefined {
  let target = root;
  for (const part of path) {
    const next = target[part];
    if (next === undefined) {
      const created = emptyRecord();
      target[part] = created;
      target = created;
    } else if (isRecord(next)) {
      target = next;
    } else {
      return undefined;
    }
  }
  return target;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const commonHeaders = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return jsonTextResponse(statusCode, JSON.stringify(body), headers);
}

/** A JSON answer whose text is already made (e.g. built when the function was bundled). */
export function jsonTextResponse(
  statusCode: number,
  json: string,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { ...commonHeaders, 'content-type': 'application/json; charset=utf-8', ...headers },
    body: json,
  };
}

/** `formActions`: origins beyond our own that the page's forms post to (S3, for uploads). */
export function htmlResponse(
  statusCode: number,
  page: SafeHtml,
  formActions: readonly string[] = [],
): APIGatewayProxyResult {
  const actions = ["'self'", ...formActions].join(' ');
  return {
    statusCode,
    headers: {
      ...commonHeaders,
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action ${actions}; frame-ancestors 'none'; base-uri 'none'`,
    },
    body: page.html,
  };
}

/** A CSV file the browser saves as `fileName` (a name of our own making, not the user's). */
export function csvDownload(fileName: string, body: string): APIGatewayProxyResult {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body,
  };
}

export function seeOther(location: string): APIGatewayProxyResult {
  return { statusCode: 303, headers: { ...commonHeaders, location }, body: '' };
}

/** The media type middy's content negotiation chose for a request, by event. */
const negotiated = new WeakMap<object, string | undefined>();

export function rememberMediaType(event: object, mediaType: string | undefined): void {
  negotiated.set(event, mediaType);
}

/** Browsers ask for HTML; API clients get JSON (as negotiated by the handler factory). */
export function wantsHtml(event: APIGatewayProxyEvent): boolean {
  if (negotiated.has(event)) return negotiated.get(event) === 'text/html';
  return (header(event, 'accept') ?? '').includes('text/html');
}
