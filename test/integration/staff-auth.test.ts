/**
 * Staff sign-in over real HTTP against the local host and its Cognito stand-in: sessions,
 * CSRF, silent refresh, and a 401/403 matrix over every staff route of the wiring.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { departmentCodes } from '#functions/domain/departments.ts';
import { functionSpecs, type HttpRoute } from '#functions/wiring.ts';
import { useTestHost } from '#test/support/local-host.ts';
import {
  addStaff,
  CookieJar,
  claimsOf,
  hiddenField,
  idTokenOf,
  request,
  signedToken,
  signIn,
  staffPassword,
} from '#test/support/staff.ts';

const host = useTestHost();

const staffRoutes = functionSpecs().flatMap(([, spec]) =>
  spec.trigger.kind === 'http'
    ? spec.trigger.routes.filter(
        (route): route is Extract<HttpRoute, { public: false }> => !route.public,
      )
    : [],
);
const getRoutes = staffRoutes.filter((route) => route.method === 'GET');
const isApi = (route: HttpRoute) => route.path.startsWith('/staff/api/');

beforeAll(async () => {
  await addStaff(host(), { email: 'gm@maker.example', name: '王总', roles: ['gm'] });
  await addStaff(host(), {
    email: 'qc@maker.example',
    name: 'Li QC',
    roles: ['qc', 'production_vp'],
  });
  await addStaff(host(), { email: 'nobody@maker.example', name: 'No Group', roles: [] });
  for (const role of departmentCodes) {
    await addStaff(host(), { email: `${role}.only@maker.example`, name: role, roles: [role] });
  }
});

describe('signing in', () => {
  it('sets an HttpOnly session cookie and a readable CSRF cookie, then shows the console', async () => {
    const { jar, response } = await signIn(host(), 'gm@maker.example');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/staff/');
    const setCookies = response.headers.getSetCookie();
    const session = setCookies.find((line) => line.startsWith('aftercare_session='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/Secure/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).toMatch(/Path=\/staff(;|$)/);
    const csrf = setCookies.find((line) => /^[^=]*csrf[^=]*=/.test(line));
    expect(csrf).toBeDefined();
    expect(csrf).not.toMatch(/HttpOnly/);

    const me = await request(host(), '/staff/api/me', { jar });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ email: 'gm@maker.example', name: '王总', roles: ['gm'] });
    const console = await request(host(), '/staff/', { jar });
    expect(console.status).toBe(200);
    const page = await console.text();
    expect(page).toContain('王总');
    expect(page).toContain('总经理');
    expect(page).toContain('<main');
  });

  it('answers a wrong password and an unknown user with the same message and no session', async () => {
    const wrong = await signIn(host(), 'gm@maker.example', 'Not-The-Password-1!');
    const unknown = await signIn(host(), 'ghost@maker.example', staffPassword);
    for (const attempt of [wrong, unknown]) {
      expect(attempt.response.status).toBe(401);
      expect(attempt.jar.get('aftercare_session')).toBeUndefined();
    }
    const message = (page: string) => /<p class="error">([^<]*)/.exec(page)?.[1];
    const wrongPage = await wrong.response.text();
    expect(message(wrongPage)).toBe('邮箱或密码不正确。');
    expect(message(await unknown.response.text())).toBe(message(wrongPage));
  });

  it('refuses a sign-in post without the CSRF token of its cookie', async () => {
    const jar = new CookieJar();
    await request(host(), '/staff/login', { jar });
    const response = await request(host(), '/staff/login', {
      jar,
      form: { csrf: 'forged', email: 'gm@maker.example', password: staffPassword },
    });
    expect(response.status).toBe(400);
    expect(jar.get('aftercare_session')).toBeUndefined();
  });

  it('asks for a new password at the first sign-in with a temporary one', async () => {
    await addStaff(host(), {
      email: 'first@maker.example',
      name: 'First Timer',
      roles: ['sales'],
      temporaryPassword: 'Temporary-Pass-1!',
    });
    const { jar, response } = await signIn(host(), 'first@maker.example', 'Temporary-Pass-1!');
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('new-password');
    expect(jar.get('aftercare_session')).toBeUndefined();
    const form = {
      csrf: hiddenField(page, 'csrf'),
      email: hiddenField(page, 'email'),
      session: hiddenField(page, 'session'),
      next: hiddenField(page, 'next'),
    };
    const weak = await request(host(), '/staff/login/new-password', {
      jar,
      form: { ...form, password: 'short', confirm: 'short' },
    });
    expect(weak.status).toBe(400);
    const chosen = 'My-Own-Password-77';
    const done = await request(host(), '/staff/login/new-password', {
      jar,
      form: { ...form, password: chosen, confirm: chosen },
    });
    expect(done.status).toBe(303);
    const me = await request(host(), '/staff/api/me', { jar });
    expect(await me.json()).toMatchObject({ email: 'first@maker.example', roles: ['sales'] });
    expect((await signIn(host(), 'first@maker.example', chosen)).response.status).toBe(303);
  });

  it('returns to the console page first asked for, and never outside the console', async () => {
    const redirect = await request(host(), '/staff/?lang=en');
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe('/staff/login?next=%2Fstaff%2F%3Flang%3Den');
    for (const next of ['https://evil.example/', '//evil.example/', '/staffevil', '/complaints']) {
      const jar = new CookieJar();
      const page = await (
        await request(host(), `/staff/login?next=${encodeURIComponent(next)}`, { jar })
      ).text();
      const response = await request(host(), '/staff/login', {
        jar,
        form: {
          csrf: hiddenField(page, 'csrf'),
          email: 'gm@maker.example',
          password: staffPassword,
          next,
        },
      });
      expect(response.headers.get('location')).toBe('/staff/');
    }
  });
});

describe('sessions', () => {
  it('accepts a bearer ID token on the API', async () => {
    const token = await idTokenOf(host(), 'qc@maker.example');
    const me = await request(host(), '/staff/api/me', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ roles: ['production_vp', 'qc'] });
  });

  it('renews an expired ID token silently with the refresh token', async () => {
    const { jar } = await signIn(host(), 'gm@maker.example');
    const current = jar.get('aftercare_session') ?? '';
    const now = Math.floor(Date.now() / 1000);
    const expired = signedToken({ ...claimsOf(current), iat: now - 7200, exp: now - 3600 });
    jar.cookies.set('aftercare_session', expired);
    const me = await request(host(), '/staff/api/me', { jar });
    expect(me.status).toBe(200);
    const renewed = jar.get('aftercare_session');
    expect(renewed).toBeDefined();
    expect(renewed).not.toBe(expired);
    expect(Number(claimsOf(renewed ?? '').exp)).toBeGreaterThan(now);
  });

  it('signs out: the cookies are cleared and the refresh token no longer renews', async () => {
    const { jar } = await signIn(host(), 'gm@maker.example');
    const refreshToken = jar.get('aftercare_refresh') ?? '';
    const csrf = jar.get('aftercare_csrf') ?? '';
    const out = await request(host(), '/staff/logout', { jar, form: { csrf } });
    expect(out.status).toBe(303);
    expect(jar.get('aftercare_session')).toBeUndefined();
    const now = Math.floor(Date.now() / 1000);
    const stale = new CookieJar();
    stale.cookies.set(
      'aftercare_session',
      signedToken({ ...claimsOf(await idTokenOf(host(), 'gm@maker.example')), exp: now - 60 }),
    );
    stale.cookies.set('aftercare_refresh', refreshToken);
    expect((await request(host(), '/staff/api/me', { jar: stale })).status).toBe(401);
  });

  it('refuses a cookie-authenticated POST without the CSRF token, and changes nothing', async () => {
    const { jar } = await signIn(host(), 'gm@maker.example');
    for (const form of [{ note: 'no token' }, { csrf: 'not-the-token' }] as Record<
      string,
      string
    >[]) {
      const response = await request(host(), '/staff/logout', { jar, form });
      expect(response.status).toBe(403);
    }
    expect(jar.get('aftercare_session')).toBeDefined();
    expect((await request(host(), '/staff/api/me', { jar })).status).toBe(200);
    const viaHeader = await request(host(), '/staff/logout', {
      jar,
      method: 'POST',
      headers: { 'x-csrf-token': jar.get('aftercare_csrf') ?? '' },
    });
    expect(viaHeader.status).toBe(303);
  });
});

describe('every staff route refuses whoever may not use it', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const badTokens: [string, () => Promise<string>][] = [
    [
      'a tampered token',
      async () => {
        const [header, , signature] = (await idTokenOf(host(), 'nobody@maker.example')).split('.');
        const claims = {
          ...claimsOf(await idTokenOf(host(), 'nobody@maker.example')),
          'cognito:groups': ['gm'],
        };
        return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
      },
    ],
    [
      'an expired token',
      async () =>
        signedToken({ ...claimsOf(await idTokenOf(host(), 'gm@maker.example')), exp: now() - 60 }),
    ],
    [
      'a token from another issuer',
      async () =>
        signedToken({
          ...claimsOf(await idTokenOf(host(), 'gm@maker.example')),
          iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other',
        }),
    ],
    [
      'a token signed by another key',
      async () =>
        signedToken(claimsOf(await idTokenOf(host(), 'gm@maker.example')), { foreignKey: true }),
    ],
    [
      'an access token instead of an ID token',
      async () =>
        signedToken({
          ...claimsOf(await idTokenOf(host(), 'gm@maker.example')),
          token_use: 'access',
        }),
    ],
  ];

  it.each(staffRoutes)('$method $path without credentials', async (route) => {
    const response = await request(host(), route.path, { method: route.method });
    if (route.method === 'GET' && !isApi(route)) {
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toMatch(/^\/staff\/login/);
    } else {
      expect(response.status).toBe(401);
    }
  });

  for (const [label, token] of badTokens) {
    it.each(staffRoutes)(`$method $path with ${label}`, async (route) => {
      const bearer = await request(host(), route.path, {
        method: route.method,
        headers: { authorization: `Bearer ${await token()}` },
      });
      const jar = new CookieJar();
      jar.cookies.set('aftercare_session', await token());
      const cookie = await request(host(), route.path, { method: route.method, jar });
      for (const response of [bearer, cookie]) {
        if (route.method === 'GET' && !isApi(route)) expect(response.status).toBe(303);
        else expect(response.status).toBe(401);
      }
    });
  }

  const redirecting = new Set([
    '/staff/surveys',
    '/staff/register/export',
    '/staff/review/workbook',
  ]);

  it.each(getRoutes)('$method $path for each role', async (route) => {
    for (const role of departmentCodes) {
      const token = await idTokenOf(host(), `${role}.only@maker.example`);
      const response = await request(host(), route.path, {
        headers: { authorization: `Bearer ${token}` },
      });
      const allowed = route.auth.roles === 'signed-in' || route.auth.roles.includes(role);
      // A literal `{reference}` names no complaint: past the role check, that is a 404. Pages
      // that hand over elsewhere (this year's survey, an export's link) answer 303.
      const found = route.path.includes('{') ? 404 : redirecting.has(route.path) ? 303 : 200;
      expect(response.status, role).toBe(allowed ? found : 403);
      if (allowed && found === 303) {
        expect(response.headers.get('location'), role).not.toMatch(/\/staff\/login/);
      }
    }
  });

  it('lets a user in no group see who they are and set up two-step sign-in, and nothing else', async () => {
    const token = await idTokenOf(host(), 'nobody@maker.example');
    for (const route of getRoutes) {
      const response = await request(host(), route.path, {
        headers: { authorization: `Bearer ${token}` },
      });
      const own = route.path === '/staff/api/me' || route.path === '/staff/mfa';
      expect(response.status, route.path).toBe(own ? 200 : 403);
    }
    const me = await request(host(), '/staff/api/me', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await me.json()).toEqual({ email: 'nobody@maker.example', name: 'No Group', roles: [] });
  });
});
