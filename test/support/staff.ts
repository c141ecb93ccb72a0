/** Staff users and sessions on a test host: real Cognito calls to its stand-in, real HTTP. */
import { createPrivateKey, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import * as z from 'zod/mini';
import type { DepartmentCode } from '#functions/domain/departments.ts';
import type { LocalHost } from '#infra/local/host.ts';

export const staffPassword = 'Quality-First-2026!';

function cognitoOf(host: LocalHost): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: host.endpoints.cognito,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** A staff user with a permanent password, or a temporary one when `temporaryPassword` is set. */
export async function addStaff(
  host: LocalHost,
  user: { email: string; name: string; roles: DepartmentCode[]; temporaryPassword?: string },
): Promise<void> {
  const cognito = cognitoOf(host);
  const UserPoolId = host.staffIdentity.userPoolId;
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId,
      Username: user.email,
      UserAttributes: [
        { Name: 'email', Value: user.email },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: user.name },
      ],
      TemporaryPassword: user.temporaryPassword,
      MessageAction: 'SUPPRESS',
    }),
  );
  if (!user.temporaryPassword) {
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId,
        Username: user.email,
        Password: staffPassword,
        Permanent: true,
      }),
    );
  }
  for (const role of user.roles) {
    await cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId, Username: user.email, GroupName: role }),
    );
  }
}

export async function idTokenOf(host: LocalHost, email: string): Promise<string> {
  const answer = await cognitoOf(host).send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: host.staffIdentity.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: staffPassword },
    }),
  );
  const token = answer.AuthenticationResult?.IdToken;
  if (!token) throw new Error(`No ID token for ${email}`);
  return token;
}

/** A browser's cookie jar, reduced to what these tests need. */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const [name = '', ...value] = pair.split('=');
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      if (expired) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.join('='));
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

export async function request(
  host: LocalHost,
  path: string,
  options: {
    jar?: CookieJar;
    method?: string;
    form?: Record<string, string>;
    headers?: Record<string, string>;
  } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.jar && options.jar.cookies.size > 0) headers.cookie = options.jar.header();
  if (options.form) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(`${host.url}${path}`, {
    method: options.method ?? (options.form ? 'POST' : 'GET'),
    headers,
    body: options.form ? new URLSearchParams(options.form).toString() : undefined,
    redirect: 'manual',
  });
  options.jar?.take(response);
  return response;
}

export function hiddenField(page: string, name: string): string {
  const value = new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1];
  if (value === undefined) throw new Error(`No hidden field ${name} in the page`);
  return value.replaceAll('&amp;', '&').replaceAll('&quot;', '"');
}

/** Signs in through the sign-in page, as a browser would; the jar then holds the session. */
export async function signIn(host: LocalHost, email: string, password = staffPassword) {
  const jar = new CookieJar();
  const page = await (await request(host, '/staff/login', { jar })).text();
  const response = await request(host, '/staff/login', {
    jar,
    form: { csrf: hiddenField(page, 'csrf'), email, password },
  });
  return { jar, response };
}

const cognitoLocalKey = z.object({ pem: z.string() });

/** cognito-local signs with a key it ships; tests sign their own tokens with it, or another. */
function signingKey(foreign: boolean): KeyObject {
  if (foreign) return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const path = createRequire(import.meta.url).resolve(
    'cognito-local/lib/keys/cognitoLocal.private.json',
  );
  return createPrivateKey(cognitoLocalKey.parse(JSON.parse(readFileSync(path, 'utf8'))).pem);
}

/** An RS256 JWT with the claims given, signed by the stand-in's key (or a foreign one). */
export function signedToken(
  claims: Record<string, unknown>,
  options: { foreignKey?: boolean } = {},
) {
  const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'CognitoLocal' })}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256')
    .update(unsigned)
    .sign(signingKey(options.foreignKey ?? false))
    .toString('base64url');
  return `${unsigned}.${signature}`;
}

export function claimsOf(token: string): Record<string, unknown> {
  return z
    .record(z.string(), z.unknown())
    .parse(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()));
}
