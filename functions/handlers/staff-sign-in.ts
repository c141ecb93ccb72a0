/**
 * Staff sign-in against Cognito: GET/POST /staff/login, the first-password and
 * authenticator-code steps, setting up an authenticator app (GET/POST /staff/mfa) and
 * POST /staff/logout. Each form carries the CSRF token of its cookie, so no other site can
 * sign a user in or out.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import type { Bilingual } from '#functions/domain/labels.ts';
import { meetsPasswordPolicy } from '#functions/domain/staff-password.ts';
import {
  answerMfa,
  beginTotpSetup,
  finishTotpSetup,
  revoke,
  type SignInStep,
  setFirstPassword,
  signIn,
} from '#functions/services/staff-identity.ts';
import type { SafeHtml } from '#functions/shared/html.ts';
import { htmlResponse, parseBody, queryParameter, seeOther } from '#functions/shared/http.ts';
import { log } from '#functions/shared/log.ts';
import {
  authenticate,
  type StaffContext,
  safeNextPath,
  staffHttpHandler,
} from '#functions/shared/staff-auth.ts';
import { consoleLanguageOf, csrfOf } from '#functions/shared/staff-forms.ts';
import {
  clearedSessionCookies,
  cookieNames,
  cookiesOf,
  credentialsOf,
  csrfCookie,
  csrfMatches,
  newCsrfToken,
  sessionCookies,
  staffPath,
} from '#functions/shared/staff-session.ts';
import {
  mfaPage,
  newPasswordPage,
  signInPage,
  type TotpSetupStep,
  totpSetupPage,
} from '#functions/web/staff-pages.ts';

const maxFormBytes = 8 * 1024;

const messages = {
  refused: {
    zh: '邮箱或密码不正确。',
    en: 'The email or password is not correct.',
  },
  expiredForm: {
    zh: '登录表单已过期，请重新输入。',
    en: 'The sign-in form had expired. Please enter your details again.',
  },
  expiredStep: {
    zh: '登录步骤已超时，请重新登录。',
    en: 'That step took too long. Please sign in again.',
  },
  mismatch: { zh: '两次输入的密码不一致。', en: 'The two passwords differ.' },
  policy: {
    zh: '密码不符合要求：至少 12 个字符，包含大小写字母、数字和符号。',
    en: 'The password does not meet the policy: at least 12 characters, with upper and lower case letters, digits and symbols.',
  },
  code: { zh: '验证码不正确。', en: 'The code is not correct.' },
  unsupported: {
    zh: '您的账号需要先设置多因素认证，请联系 IT。',
    en: 'Your account must set up multi-factor authentication first. Please ask IT.',
  },
  signedOut: { zh: '您已退出登录。', en: 'You have signed out.' },
  setupNeedsSession: {
    zh: '请在控制台中登录后设置（会话已过期或未使用浏览器登录）。',
    en: 'Sign in to the console in a browser to set this up (the session has expired or is not a browser one).',
  },
  setupCode: {
    zh: '验证码不正确：请确认手机时间准确，并输入应用中最新的 6 位数字。',
    en: 'The code is not correct: check that the phone’s clock is right and enter the app’s latest 6 digits.',
  },
} satisfies Record<string, Bilingual>;

const text = (max: number) => z.string().check(z.maxLength(max));
const signInFields = z.object({
  csrf: text(100),
  email: text(254),
  password: text(256),
  next: z.optional(text(2000)),
});
const challengeFields = z.object({
  csrf: text(100),
  email: text(254),
  session: text(4096),
  next: z.optional(text(2000)),
});
const newPasswordFields = z.extend(challengeFields, { password: text(256), confirm: text(256) });
const mfaFields = z.extend(challengeFields, { code: text(6) });
const totpSetupFields = z.lazy(() =>
  z.discriminatedUnion('step', [
    z.object({ step: z.literal('begin') }),
    z.object({
      step: z.literal('verify'),
      // Cognito's secret, base32: echoed back only to show it again after a wrong code.
      secret: z.string().check(z.regex(/^[A-Z2-7]{16,128}$/)),
      code: z.string().check(z.regex(/^\d{6}$/)),
    }),
  ]),
);

export const handler = staffHttpHandler(async (event, context) => {
  const route = `${event.httpMethod} ${event.resource}`;
  switch (route) {
    case 'GET /staff/login':
      return showSignIn(event);
    case 'POST /staff/login':
      return postSignIn(event);
    case 'POST /staff/login/new-password':
      return postNewPassword(event);
    case 'POST /staff/login/mfa':
      return postMfa(event);
    case 'GET /staff/mfa':
      return totpSetup(event, context, { step: 'start' });
    case 'POST /staff/mfa':
      return postTotpSetup(event, context);
    case 'POST /staff/logout':
      return signOut(event, context.staff.via);
    default:
      throw new Error(`Unexpected route ${route}`);
  }
});

/** The page, with a CSRF cookie set if the browser has none yet. */
function page(status: number, body: SafeHtml, cookies: string[] = []): APIGatewayProxyResult {
  return { ...htmlResponse(status, body), multiValueHeaders: { 'set-cookie': cookies } };
}

function csrfFor(event: APIGatewayProxyEvent): { token: string; cookies: string[] } {
  const existing = cookiesOf(event)[cookieNames.csrf];
  if (existing) return { token: existing, cookies: [] };
  const token = newCsrfToken();
  return { token, cookies: [csrfCookie(token)] };
}

async function showSignIn(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const next = safeNextPath(queryParameter(event, 'next'));
  const signedIn = await authenticate(credentialsOf(event));
  if (signedIn.outcome === 'signed_in') return seeOther(next);
  const csrf = csrfFor(event);
  const notice = queryParameter(event, 'signedOut') === '1' ? messages.signedOut : undefined;
  return page(200, signInPage({ csrf: csrf.token, next, notice }), csrf.cookies);
}

function formOf<T>(event: APIGatewayProxyEvent, schema: z.ZodMiniType<T>): T | undefined {
  const body = parseBody(event, maxFormBytes);
  if (!body.ok || body.format !== 'form') return undefined;
  const parsed = schema.safeParse(body.data);
  return parsed.success ? parsed.data : undefined;
}

/** A form whose CSRF token does not match its cookie starts over, with a fresh token. */
function startOver(message: Bilingual, email?: string): APIGatewayProxyResult {
  const token = newCsrfToken();
  return page(400, signInPage({ csrf: token, email, error: message, next: staffPath('/') }), [
    csrfCookie(token),
  ]);
}

async function postSignIn(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const form = formOf(event, signInFields);
  if (!form || !csrfMatches(event, form.csrf)) return startOver(messages.expiredForm, form?.email);
  const next = safeNextPath(form.next);
  const step = await signIn(form.email.trim(), form.password);
  return afterStep(step, { csrf: form.csrf, email: form.email.trim(), next });
}

async function postNewPassword(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const form = formOf(event, newPasswordFields);
  if (!form || !csrfMatches(event, form.csrf)) return startOver(messages.expiredForm, form?.email);
  const next = safeNextPath(form.next);
  const challenge = { csrf: form.csrf, email: form.email, session: form.session, next };
  if (form.password !== form.confirm) {
    return page(400, newPasswordPage({ ...challenge, error: messages.mismatch }));
  }
  if (!meetsPasswordPolicy(form.password)) {
    return page(400, newPasswordPage({ ...challenge, error: messages.policy }));
  }
  const step = await setFirstPassword(form.email, form.session, form.password);
  if (step.step === 'refused' && step.reason === 'password_policy') {
    return page(400, newPasswordPage({ ...challenge, error: messages.policy }));
  }
  return afterStep(step, challenge);
}

async function postMfa(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const form = formOf(event, mfaFields);
  if (!form || !csrfMatches(event, form.csrf)) return startOver(messages.expiredForm, form?.email);
  const next = safeNextPath(form.next);
  const step = await answerMfa(form.email, form.session, form.code);
  return afterStep(step, { csrf: form.csrf, email: form.email, session: form.session, next });
}

function afterStep(
  step: SignInStep,
  form: { csrf: string; email: string; next: string; session?: string },
): APIGatewayProxyResult {
  switch (step.step) {
    case 'signed_in':
      // A new CSRF token with the new session: a token planted before sign-in is worthless.
      return {
        ...seeOther(form.next),
        multiValueHeaders: { 'set-cookie': sessionCookies(step.tokens, newCsrfToken()) },
      };
    case 'new_password_required':
      return page(200, newPasswordPage({ ...form, session: step.session }));
    case 'mfa_required':
      return page(200, mfaPage({ ...form, session: step.session }));
    case 'refused': {
      if (step.reason === 'code' && form.session) {
        return page(401, mfaPage({ ...form, session: form.session, error: messages.code }));
      }
      const error =
        step.reason === 'unsupported'
          ? messages.unsupported
          : form.session
            ? messages.expiredStep
            : messages.refused;
      return page(401, signInPage({ csrf: form.csrf, email: form.email, next: form.next, error }));
    }
  }
}

async function signOut(
  event: APIGatewayProxyEvent,
  via: 'cookie' | 'bearer',
): Promise<APIGatewayProxyResult> {
  const refreshToken = cookiesOf(event)[cookieNames.refreshToken];
  if (via === 'cookie' && refreshToken) await revoke(refreshToken);
  return {
    ...seeOther(`${staffPath('/login')}?signedOut=1`),
    multiValueHeaders: { 'set-cookie': clearedSessionCookies() },
  };
}

function totpSetup(
  event: APIGatewayProxyEvent,
  context: StaffContext,
  setup: TotpSetupStep,
  status = 200,
): APIGatewayProxyResult {
  return htmlResponse(
    status,
    totpSetupPage({
      user: context.staff.user,
      csrf: csrfOf(event),
      lang: consoleLanguageOf(event),
      setup,
    }),
  );
}

/** Begin: Cognito's new secret, shown once. Verify: a code from the app switches TOTP on. */
async function postTotpSetup(
  event: APIGatewayProxyEvent,
  context: StaffContext,
): Promise<APIGatewayProxyResult> {
  const body = parseBody(event, maxFormBytes);
  const form = body.ok ? totpSetupFields.safeParse(body.data) : undefined;
  if (!form?.success) return totpSetup(event, context, { step: 'start' }, 400);
  const refreshToken = cookiesOf(event)[cookieNames.refreshToken];
  const needsSession = { step: 'start', error: messages.setupNeedsSession } as const;
  if (!refreshToken) return totpSetup(event, context, needsSession, 401);
  if (form.data.step === 'begin') {
    const secret = await beginTotpSetup(refreshToken);
    return secret
      ? totpSetup(event, context, { step: 'scan', secret })
      : totpSetup(event, context, needsSession, 401);
  }
  const { secret, code } = form.data;
  switch (await finishTotpSetup(refreshToken, code)) {
    case 'enabled':
      log.info('staff turned on two-step sign-in');
      return totpSetup(event, context, { step: 'done' });
    case 'code':
      return totpSetup(event, context, { step: 'scan', secret, error: messages.setupCode }, 400);
    case 'expired':
      return totpSetup(event, context, needsSession, 401);
  }
}
