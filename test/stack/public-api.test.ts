/** PublicApi: routes of the wiring on the REST API, the staff authorizer, CORS and the WAF. */
import { Template } from 'aws-cdk-lib/assertions';
import { LambdaIntegration } from 'aws-cdk-lib/aws-apigateway';
import { describe, expect, it } from 'vitest';
import { createRestApi, PublicApi } from '#infra/aws/constructs/public-api.ts';
import { constructTest, plainFunction } from './construct-stack.ts';
import { logicalId } from './synth.ts';

function publicApi() {
  const test = constructTest({
    api: { corsOrigins: ['https://www.example.com'] },
  });
  const { stack, config, alarms } = test;
  const api = createRestApi(stack, config);
  const built = new PublicApi(stack, { api, config, alarms });
  return { ...test, api, built };
}

describe('PublicApi', () => {
  const { stack, api, built } = publicApi();
  const authorizer = plainFunction(stack, 'StaffAuthorizer');
  const web = new LambdaIntegration(plainFunction(stack, 'Web'), { allowTestInvoke: false });
  built.setStaffAuthorizer(authorizer);
  built.addRoute({ method: 'POST', path: '/complaints', public: true }, web);
  built.addRoute(
    { method: 'GET', path: '/staff/{reference}', public: false, auth: { roles: 'signed-in' } },
    web,
  );
  built.addCorsPreflights();
  const template = Template.fromStack(stack);

  it('keeps the API, its authorizer and its WAF under the ids the stack gave them', () => {
    expect(logicalId(stack, api)).toMatch(/^Api[0-9A-F]{8}$/);
    const ids = Object.keys(template.toJSON().Resources as object);
    for (const prefix of ['StaffRequestAuthorizer', 'ApiRequestValidator', 'ApiAccessLogs']) {
      expect(
        ids.some((id) => new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id)),
        prefix,
      ).toBe(true);
    }
    // Plain CloudFormation resources made at the top keep their bare ids.
    expect(ids).toEqual(expect.arrayContaining(['ApiFirewall', 'ApiFirewallAssociation']));
    // The authorizer's invoke permission is named after its unique name, as before.
    expect(ids.some((id) => id.startsWith('StaffAuthorizerTestStaffRequestAuthorizer'))).toBe(true);
  });

  it('puts staff routes behind the authorizer and leaves public ones open', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'CUSTOM',
      RequestParameters: { 'method.request.path.reference': true },
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'NONE',
    });
  });

  it('answers CORS preflights on public routes only, for the listed origins', () => {
    const options = Object.values(template.findResources('AWS::ApiGateway::Method')).filter(
      (method) => (method.Properties as { HttpMethod: string }).HttpMethod === 'OPTIONS',
    );
    expect(options).toHaveLength(1);
    expect(JSON.stringify(options)).toContain("'https://www.example.com'");
  });

  it('guards the stage with the WAF and alarms on blocks and server errors', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Name: 'aftercare-test-api' });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    for (const name of ['ApiFirewallBlocks', 'ApiServerErrors']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `aftercare-test-${name}`,
      });
    }
  });

  it('refuses a staff route before the authorizer', () => {
    const { stack: other, built: noAuthorizer } = publicApi();
    const integration = new LambdaIntegration(plainFunction(other, 'Web'));
    expect(() =>
      noAuthorizer.addRoute(
        { method: 'GET', path: '/staff', public: false, auth: { roles: 'signed-in' } },
        integration,
      ),
    ).toThrow(/needs an authorizer/);
  });
});
