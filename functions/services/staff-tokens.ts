/**
 * Verifying staff ID tokens, in one place, with aws-jwt-verify: signature, issuer, audience,
 * `token_use` and expiry. No Cognito client here, so the gateway authorizer stays small.
 */
import { JwtVerifier } from 'aws-jwt-verify';
import { JwtExpiredError } from 'aws-jwt-verify/error';
import { assertIsJwks } from 'aws-jwt-verify/jwk';
import { safeJsonParse } from 'aws-jwt-verify/safe-json-parse';
import * as z from 'zod/mini';
import { type DepartmentCode, departmentCodes } from '#functions/domain/departments.ts';
import { requiredSetting } from '#functions/shared/config.ts';
import { environmentNames } from '#functions/wiring.ts';

export interface StaffUser {
  email: string;
  name: string;
  /** The user's Cognito groups that name a department; other groups are ignored. */
  roles: DepartmentCode[];
}

// Pure and built on first use, so the gateway authorizer, which reads no claims, bundles no zod.
const idTokenClaims = /* @__PURE__ */ z.lazy(() =>
  z.object({
    email: z.string(),
    name: z.optional(z.string()),
    'cognito:groups': z.optional(z.array(z.string())),
  }),
);

function userFrom(payload: unknown): StaffUser {
  const claims = idTokenClaims.parse(payload);
  const groups = new Set(claims['cognito:groups'] ?? []);
  return {
    email: claims.email,
    name: claims.name ?? claims.email,
    roles: departmentCodes.filter((code) => groups.has(code)),
  };
}

export function identity() {
  return {
    userPoolId: requiredSetting(environmentNames.staffUserPoolId),
    clientId: requiredSetting(environmentNames.staffClientId),
    issuer: requiredSetting(environmentNames.staffTokenIssuer),
  };
}

type Verifier = ReturnType<
  typeof JwtVerifier.create<{
    issuer: string;
    audience: string;
    jwksUri: string;
  }>
>;
let verifier: { issuer: string; verifier: Verifier } | undefined;

/** One verifier per container: it caches the pool's JWKS after the first fetch. */
async function tokenVerifier(): Promise<Verifier> {
  const { issuer, clientId } = identity();
  if (verifier?.issuer === issuer) return verifier.verifier;
  const created = JwtVerifier.create({
    issuer,
    audience: clientId,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    customJwtCheck: ({ payload }) => {
      if (payload.token_use !== 'id') throw new Error('Not an ID token');
    },
  });
  if (issuer.startsWith('http://')) {
    // The local stand-in serves its JWKS over plain HTTP, which aws-jwt-verify refuses to
    // fetch; hand it the keys instead, checked by the library's own assertion.
    const jwks = safeJsonParse(await (await fetch(`${issuer}/.well-known/jwks.json`)).text());
    assertIsJwks(jwks);
    created.cacheJwks(jwks);
  }
  verifier = { issuer, verifier: created };
  return created;
}

export type TokenCheck =
  | { outcome: 'valid'; user: StaffUser }
  /** Genuine but past its expiry: a refresh token may renew it. */
  | { outcome: 'expired' }
  | { outcome: 'invalid' };

/** A genuine token's subject: the user's opaque id in the pool, no personal data. */
export type SubjectCheck =
  | { outcome: 'valid'; subject: string }
  | Exclude<TokenCheck, { outcome: 'valid' }>;

/**
 * `graceSeconds` accepts a token that expired at most that long ago: the gateway
 * authorizer, which cannot refresh, lets such a session through to the handler that can.
 */
export async function verifyIdToken(token: string, graceSeconds = 0): Promise<TokenCheck> {
  const check = await verifiedPayload(token, graceSeconds);
  return check.outcome === 'valid' ? { outcome: 'valid', user: userFrom(check.payload) } : check;
}

/**
 * The same checks (signature, issuer, audience, `token_use`, expiry) for the gateway
 * authorizer, which names the caller by subject only: the handler reads the claims.
 */
export async function verifyIdTokenSubject(token: string, graceSeconds = 0): Promise<SubjectCheck> {
  const check = await verifiedPayload(token, graceSeconds);
  if (check.outcome !== 'valid') return check;
  // Cognito always signs a string `sub`; anything else is not one of its tokens.
  return typeof check.payload.sub === 'string'
    ? { outcome: 'valid', subject: check.payload.sub }
    : { outcome: 'invalid' };
}

async function verifiedPayload(token: string, graceSeconds: number) {
  const check = await tokenVerifier();
  try {
    return { outcome: 'valid', payload: await check.verify(token, { graceSeconds }) } as const;
  } catch (error) {
    if (error instanceof JwtExpiredError) return { outcome: 'expired' } as const;
    return { outcome: 'invalid' } as const;
  }
}
