/** API Gateway (REST, proxy) requests in and responses out. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
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

/**
 * Reads a JSON or urlencoded body, refusing anything larger than `maxBytes` or nested deeper
 * than `maxNestingDepth`, so nothing that walks the body afterwards can run out of stack.
 */
export function parseBody(
  event: Pick<APIGatewayProxyEvent, 'headers' | 'body' | 'isBase64Encoded'>,
  maxBytes: number,
): ParsedBody {
  const mediaType = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  const format: BodyFormat | undefined =
    mediaType === 'application/json'
      ? 'json'
      : mediaType === 'application/x-www-form-urlencoded'
        ? 'form'
        : undefined;
  if (!format) {
    return {
      ok: false,
      status: 415,
      error: 'unsupported_media_type',
      message: 'Send application/json or application/x-www-form-urlencoded',
    };
  }
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.byteLength > maxBytes) {
    return {
      ok: false,
      status: 413,
      error: 'payload_too_large',
      message: `The body may be at most ${maxBytes} bytes`,
    };
  }
  const text = raw.toString('utf8');
  if (format === 'form') return { ok: true, format, data: formToObject(new URLSearchParams(text)) };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, status: 400, error: 'invalid_json', message: 'The body is not valid JSON' };
  }
  if (nestsDeeperThan(data, maxNestingDepth)) {
    return {
      ok: false,
      status: 400,
      error: 'too_deeply_nested',
      message: `The body may nest objects and arrays at most ${maxNestingDepth} levels deep`,
    };
  }
  return { ok: true, format, data };
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
    const leaf = path[path.length - 1] as string;
    if (target && target[leaf] === undefined) target[leaf] = value;
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
  return {
    statusCode,
    headers: { ...commonHeaders, 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
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

export function seeOther(location: string): APIGatewayProxyResult {
  return { statusCode: 303, headers: { ...commonHeaders, location }, body: '' };
}

/** Browsers ask for HTML; API clients get JSON. */
export function wantsHtml(event: APIGatewayProxyEvent): boolean {
  const accept = header(event, 'accept') ?? '';
  return accept.includes('text/html');
}
