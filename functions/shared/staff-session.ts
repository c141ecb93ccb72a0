/**
 * The staff session in cookies: the Cognito ID token and refresh token, each `HttpOnly`,
 * `Secure`, `SameSite=Lax` and scoped to the console's path, plus a readable CSRF token
 * (double-submit: a state-changing request must echo it in `X-CSRF-Token` or a `csrf`
 * field). Lax, not Strict: staff follow links to the console from alert emails, and a
 * cross-site GET changes nothing; every POST needs the CSRF token whatever the cookie says.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { parseCookie, stringifySetCookie } from 'cookie';
import { environmentNames } from '#functions/wiring.ts';
import { requiredSetting } from './config.ts';
import { type HasHeaders, header } from './http.ts';

export const cookieNames = {
  idToken: 'aftercare_session',
  refreshToken: 'aftercare_refresh',
  csrf: 'aftercare_csrf',
} as const;

/** How long the cookies live: the refresh token's life, after which staff sign in again. */
export const sessionSeconds = 12 * 60 * 60;

/** A path under the public address, as the browser sees it (on AWS it starts with the stage). */
export function browserPath(path: string): string {
  const base = new URL(requiredSetting(environmentNames.publicBaseUrl)).pathname.replace(
    /\/+$/,
    '',
  );
  return `${base}${path}`;
}

/** The console's path under the public address. */
export function staffPath(path = ''): string {
  return browserPath(`/staff${path}`);
}

function setCookie(name: string, value: string, options: { httpOnly: boolean; maxAge: number }) {
  return stringifySetCookie({
    name,
    value,
    path: staffPath(),
    httpOnly: options.httpOnly,
    secure: true,
    sameSite: name === cookieNames.csrf ? 'strict' : 'lax',
    maxAge: options.maxAge,
  });
}

export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

export function csrfCookie(token: string): string {
  return setCookie(cookieNames.csrf, token, { httpOnly: false, maxAge: sessionSeconds });
}

/** The cookies of a signed-in session; a new CSRF token with each sign-in. */
export function sessionCookies(
  tokens: { idToken: string; refreshToken?: string },
  csrfToken?: string,
): string[] {
  const cookies = [
    setCookie(cookieNames.idToken, tokens.idToken, { httpOnly: true, maxAge: sessionSeconds }),
  ];
  if (tokens.refreshToken) {
    cookies.push(
      setCookie(cookieNames.refreshToken, tokens.refreshToken, {
        httpOnly: true,
        maxAge: sessionSeconds,
      }),
    );
  }
  if (csrfToken) cookies.push(csrfCookie(csrfToken));
  return cookies;
}

export function clearedSessionCookies(): string[] {
  return Object.values(cookieNames).map((name) =>
    setCookie(name, '', { httpOnly: name !== cookieNames.csrf, maxAge: 0 }),
  );
}

export function cookiesOf(event: HasHeaders): Record<string, string | undefined> {
  const raw = header(event, 'cookie');
  return raw ? parseCookie(raw) : {};
}

export type Credentials =
  | { kind: 'bearer'; idToken: string }
  | { kind: 'cookie'; idToken: string; refreshToken?: string }
  | { kind: 'none' };

/** A bearer token wins over cookies: it is what API clients send deliberately. */
export function credentialsOf(event: HasHeaders): Credentials {
  const authorization = header(event, 'authorization');
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return { kind: 'bearer', idToken: bearer };
  const cookies = cookiesOf(event);
  const idToken = cookies[cookieNames.idToken];
  if (idToken) return { kind: 'cookie', idToken, refreshToken: cookies[cookieNames.refreshToken] };
  return { kind: 'none' };
}

/** The double-submit check: the token in the request equals the one in the CSRF cookie. */
export function csrfMatches(event: APIGatewayProxyEvent, submitted: string | undefined): boolean {
  const expected = cookiesOf(event)[cookieNames.csrf];
  if (!expected || !submitted) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}
