/**
 * Authentication and the role check of every staff route, as one middy middleware. The
 * rule comes from the route's `auth` in the wiring description, which the CDK stack and the
 * local host read too. Pages redirect to the sign-in page; `/staff/api/*` answers 401 JSON.
 */
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { refresh } from '#functions/services/staff-identity.ts';
import { type StaffUser, verifyIdToken } from '#functions/services/staff-tokens.ts';
import { forbiddenPage } from '#functions/web/staff-pages.ts';
import { routeFor } from '#functions/wiring.ts';
import { header, jsonResponse, parseBody, seeOther } from './http.ts';
import { type HttpHandlerOptions, httpMiddlewares } from './http-handler.ts';
import {
  browserPath,
  type Credentials,
  clearedSessionCookies,
  cookieNames,
  cookiesOf,
  credentialsOf,
  csrfMatches,
  sessionCookies,
  staffPath,
} from './staff-session.ts';

export interface SignedInStaff {
  user: StaffUser;
  via: 'cookie' | 'bearer';
}

export interface StaffContext extends Context {
  staff: SignedInStaff;
}

export type Authentication =
  | { outcome: 'signed_in'; user: StaffUser; via: 'cookie' | 'bearer'; renewedIdToken?: string }
  | { outcome: 'signed_out' };

/** Verifies the credentials; an expired cookie session is renewed with its refresh token. */
export async function authenticate(credentials: Credentials): Promise<Authentication> {
  if (credentials.kind === 'none') return { outcome: 'signed_out' };
  const check = await verifyIdToken(credentials.idToken);
  if (check.outcome === 'valid') {
    return { outcome: 'signed_in', user: check.user, via: credentials.kind };
  }
  if (check.outcome === 'expired' && credentials.kind === 'cookie' && credentials.refreshToken) {
    const renewed = await refresh(credentials.refreshToken);
    if (renewed) {
      const { idToken, ...user } = renewed;
      return { outcome: 'signed_in', user, via: 'cookie', renewedIdToken: idToken };
    }
  }
  return { outcome: 'signed_out' };
}

export function isStaffApi(event: APIGatewayProxyEvent): boolean {
  return event.resource.startsWith('/staff/api/');
}

/** Only a path inside the console may be returned to after signing in: no open redirect. */
export function safeNextPath(next: string | undefined): string {
  const inside = next !== undefined && /^\/[^/\\]/.test(next) && !/[\\\r\n]/.test(next);
  const console = staffPath();
  if (
    inside &&
    (next === console || next.startsWith(`${console}/`) || next.startsWith(`${console}?`))
  ) {
    return next;
  }
  return staffPath('/');
}

function submittedCsrfToken(event: APIGatewayProxyEvent): string | undefined {
  const fromHeader = header(event, 'x-csrf-token');
  if (fromHeader) return fromHeader;
  if (!event.body) return undefined;
  // The body as the factory's middlewares read it: a form's `csrf` field.
  const body = parseBody(event, Number.POSITIVE_INFINITY);
  if (!body.ok || body.format !== 'form' || body.data === null || typeof body.data !== 'object') {
    return undefined;
  }
  const token: unknown = Reflect.get(body.data, 'csrf');
  return typeof token === 'string' ? token : undefined;
}

function refused(
  event: APIGatewayProxyEvent,
  status: 401 | 403,
  reason: string,
): APIGatewayProxyResult {
  if (isStaffApi(event)) {
    const body =
      status === 401
        ? { error: 'unauthenticated', message: 'Sign in, or send Authorization: Bearer <ID token>' }
        : { error: 'forbidden', message: reason };
    return jsonResponse(status, body, status === 401 ? { 'www-authenticate': 'Bearer' } : {});
  }
  if (status === 401) {
    const query = new URLSearchParams(
      Object.entries(event.queryStringParameters ?? {}).flatMap(
        ([name, value]): [string, string][] => (value === undefined ? [] : [[name, value]]),
      ),
    ).toString();
    const next =
      event.httpMethod === 'GET'
        ? browserPath(`${event.path}${query ? `?${query}` : ''}`)
        : undefined;
    const login = seeOther(
      next && safeNextPath(next) === next
        ? `${staffPath('/login')}?${new URLSearchParams({ next })}`
        : staffPath('/login'),
    );
    return { ...login, multiValueHeaders: { 'set-cookie': clearedSessionCookies() } };
  }
  return forbiddenPage(reason, cookiesOf(event)[cookieNames.csrf] ?? '');
}

export function staffAuthentication(): MiddlewareObj<
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Error,
  StaffContext
> {
  const renewed = new WeakMap<object, string>();
  return {
    before: async (request) => {
      const { event } = request;
      const route = routeFor(event.resource, event.httpMethod);
      if (!route) throw new Error(`No route ${event.httpMethod} ${event.resource}`);
      if (route.public) return undefined;
      const rule = route.auth;
      const authentication = await authenticate(credentialsOf(event));
      if (authentication.outcome === 'signed_out') return refused(event, 401, 'Not signed in');
      if (
        event.httpMethod !== 'GET' &&
        authentication.via === 'cookie' &&
        !csrfMatches(event, submittedCsrfToken(event))
      ) {
        return refused(event, 403, 'The CSRF token is missing or does not match');
      }
      const { user } = authentication;
      if (rule.roles !== 'signed-in' && !rule.roles.some((role) => user.roles.includes(role))) {
        return refused(event, 403, `This needs one of the roles: ${rule.roles.join(', ')}`);
      }
      request.context.staff = { user, via: authentication.via };
      if (authentication.renewedIdToken) renewed.set(request, authentication.renewedIdToken);
      return undefined;
    },
    after: (request) => {
      const idToken = renewed.get(request);
      if (!idToken || !request.response) return;
      const response = request.response;
      const existing = response.multiValueHeaders?.['set-cookie'] ?? [];
      // A handler that signs the user out has the last word on the cookies.
      if (existing.length > 0) return;
      response.multiValueHeaders = {
        ...response.multiValueHeaders,
        'set-cookie': sessionCookies({ idToken }),
      };
    },
  };
}

/** A staff HTTP handler: the HTTP handler factory's middlewares with the authentication inside. */
export function staffHttpHandler(
  handle: (event: APIGatewayProxyEvent, context: StaffContext) => Promise<APIGatewayProxyResult>,
  options: HttpHandlerOptions = {},
) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, StaffContext>()
    .use(httpMiddlewares<StaffContext>(options, [staffAuthentication()]))
    .handler(handle);
}
