/**
 * The staff sign-in on AWS: the user pool, its groups and client as the sign-in issue asks,
 * and every staff route behind the authorizer, none reachable anonymously.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { departmentCodes } from '#functions/domain/departments.ts';
import { functionSpecs } from '#functions/wiring.ts';
import { staffPool } from '#infra/staff-identity.ts';
import {
  defined,
  logicalId,
  resourcesOf,
  type Synthesized,
  stageContext,
  synthesize,
  type TemplateResource,
} from './synth.ts';

let synth: Synthesized;
let stateless: Record<string, TemplateResource>;
let stateful: Record<string, TemplateResource>;

beforeAll(() => {
  synth = synthesize();
  stateless = resourcesOf(synth.statelessTemplate);
  stateful = resourcesOf(synth.statefulTemplate);
});

const ofType = (resources: Record<string, TemplateResource>, type: string) =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type);

describe('the staff user pool', () => {
  it('is kept, signs in by email, lets no one sign up, and asks for 12 characters', () => {
    const [, pool] = defined(ofType(stateful, 'AWS::Cognito::UserPool')[0], 'user pool');
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(pool.Properties).toMatchObject({
      DeletionProtection: 'ACTIVE',
      UsernameAttributes: ['email'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: { PasswordPolicy: expect.objectContaining({ MinimumLength: 12 }) },
    });
  });

  it('has one group per department code', () => {
    const groups = ofType(stateful, 'AWS::Cognito::UserPoolGroup').map(([, group]) =>
      String(group.Properties.GroupName),
    );
    expect(groups.sort()).toEqual([...departmentCodes].sort());
  });

  it('has a console client with password sign-in, refresh tokens and short ID tokens', () => {
    synth.statefulTemplate.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
      GenerateSecret: false,
      IdTokenValidity: staffPool.idTokenValidityMinutes,
      RefreshTokenValidity: staffPool.refreshTokenValidityHours * 60,
      TokenValidityUnits: Match.objectLike({ IdToken: 'minutes', RefreshToken: 'minutes' }),
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
  });

  it('makes TOTP required where a stage asks for it', () => {
    const strict = synthesize({ context: stageContext('strict', { staff: { mfa: 'required' } }) });
    strict.statefulTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
    });
  });
});

describe('staff routes', () => {
  const staffRoutes = functionSpecs().flatMap(([, spec]) =>
    spec.trigger.kind === 'http' ? spec.trigger.routes.filter((route) => !route.public) : [],
  );
  const publicRoutes = functionSpecs().flatMap(([, spec]) =>
    spec.trigger.kind === 'http' ? spec.trigger.routes.filter((route) => route.public) : [],
  );

  function methodFor(method: string, path: string): TemplateResource {
    const pathOf = (reference: unknown): string => {
      const ref = (reference as { Ref?: string }).Ref;
      if (!ref) return '';
      const resource = stateless[ref]?.Properties ?? {};
      return `${pathOf(resource.ParentId)}/${String(resource.PathPart)}`;
    };
    const found = ofType(stateless, 'AWS::ApiGateway::Method').find(
      ([, candidate]) =>
        candidate.Properties.HttpMethod === method &&
        (pathOf(candidate.Properties.ResourceId) || '/') === path,
    );
    return defined(found, `${method} ${path}`)[1];
  }

  it('exist, and the staff sign-in issue names them', () => {
    expect(staffRoutes.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining(['GET /staff', 'GET /staff/api/me', 'POST /staff/logout']),
    );
  });

  it('every staff route is behind the request authorizer; the public ones are not', () => {
    const [authorizerId, authorizer] = defined(
      ofType(stateless, 'AWS::ApiGateway::Authorizer')[0],
      'authorizer',
    );
    const authorizerFunction = defined(synth.stateless.functions.get('staffAuthorizer'), 'fn');
    expect(authorizer.Properties).toMatchObject({
      Type: 'REQUEST',
      AuthorizerResultTtlInSeconds: 0,
    });
    expect(JSON.stringify(authorizer.Properties.AuthorizerUri)).toContain(
      logicalId(synth.stateless, authorizerFunction),
    );
    for (const route of staffRoutes) {
      expect(methodFor(route.method, route.path).Properties, route.path).toMatchObject({
        AuthorizationType: 'CUSTOM',
        AuthorizerId: { Ref: authorizerId },
      });
    }
    for (const route of publicRoutes) {
      expect(methodFor(route.method, route.path).Properties.AuthorizationType).toBe('NONE');
    }
  });

  it('tells the functions that verify tokens the pool, client and issuer, and no one else', () => {
    for (const [name, spec] of functionSpecs()) {
      const fn = defined(synth.stateless.functions.get(name), name);
      const [, resource] = defined(
        Object.entries(stateless).find(([id]) => id === logicalId(synth.stateless, fn)),
        name,
      );
      const variables = Object.keys(
        (resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
      );
      expect(variables.includes('STAFF_TOKEN_ISSUER'), name).toBe(spec.staffIdentity === true);
    }
  });

  it('limits sign-in attempts per address more tightly than page views', () => {
    synth.statelessTemplate.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'SignInRatePerClient',
          Statement: {
            RateBasedStatement: Match.objectLike({
              Limit: synth.config.api.signInRequestsPerFiveMinutes,
              ScopeDownStatement: Match.objectLike({
                ByteMatchStatement: Match.objectLike({ SearchString: '/staff/login' }),
              }),
            }),
          },
        }),
      ]),
    });
  });
});
