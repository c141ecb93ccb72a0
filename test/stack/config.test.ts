/** Stage configuration: validated at synth time, with errors that name what to fix. */
import { describe, expect, it } from 'vitest';
import { StageConfigError, stageConfigFrom } from '#infra/aws/config.ts';
import { defined, logicalId, resourcesOf, stageContext, synthesize } from './synth.ts';

const configFrom = (context: Record<string, unknown>) => () =>
  stageConfigFrom((key) => context[key]);

const withStage = (overrides: Record<string, unknown>) =>
  configFrom(stageContext('prod', overrides));

describe('stage configuration', () => {
  it('reads the dev stage from cdk.json, with defaults filled in', () => {
    const config = withStage({})();
    expect(config.stage).toBe('prod');
    expect(config.api).toMatchObject({ rateLimit: 25, burstLimit: 50, corsOrigins: [] });
    expect(config.alarms.oldestMessageAgeMinutes).toBe(30);
    expect(config.departments.gm).toBe('gm@example.com');
  });

  it('takes the company name and privacy notice from the stage, with a default', () => {
    expect(withStage({})().customerPages.privacyNotice.en).toContain('three years');
    const customerPages = {
      company: { zh: '华南铝业', en: 'Huanan Aluminium' },
      privacyNotice: { zh: '我们处理您的个人信息。', en: 'We process your data.' },
    };
    expect(withStage({ customerPages })().customerPages).toEqual(customerPages);
    expect(
      withStage({
        customerPages: { ...customerPages, privacyNotice: { zh: '长'.repeat(500), en: 'x' } },
      }),
    ).toThrow(/customerPages.privacyNotice.zh: at most 1200 bytes/);
  });

  it('names an unknown stage and the stages there are', () => {
    expect(configFrom({ stage: 'qa', 'aftercare:stages': { dev: {} } })).toThrow(
      /No configuration for stage "qa".*configured stages: dev/,
    );
    expect(configFrom({ stage: 'Prod!' })).toThrow(/-c stage=<name>/);
  });

  it('lists every missing or malformed value by its path', () => {
    const error = (() => {
      try {
        withStage({
          departments: { gm: 'gm@example.com', qc: 'not an address' },
          mail: { identity: 'example.com', from: 'Aftercare <aftercare@example.com>' },
          logRetentionDays: 10,
          extra: true,
        })();
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(StageConfigError);
    const message = (error as Error).message;
    expect(message).toContain('departments.qc: must be an email address');
    expect(message).toContain('departments.sales: is missing');
    expect(message).toContain('mail.replyTo: is missing');
    expect(message).toMatch(/logRetentionDays: must be one of 1, 3, 5/);
    expect(message).toContain('unknown setting extra');
  });

  it('refuses a From address SES would not send as', () => {
    expect(
      withStage({
        mail: {
          identity: 'maker.example',
          from: 'Aftercare <aftercare@other.example>',
          replyTo: 'service@maker.example',
        },
      }),
    ).toThrow(/mail\.from: aftercare@other\.example is not on maker\.example/);
    expect(
      withStage({
        mail: {
          identity: 'service@maker.example',
          from: 'desk@maker.example',
          replyTo: 'service@maker.example',
        },
      }),
    ).toThrow(/must be service@maker\.example/);
    expect(
      withStage({
        mail: {
          identity: 'maker.example',
          from: 'Aftercare <aftercare@mail.maker.example>',
          replyTo: 'service@maker.example',
        },
      }),
    ).not.toThrow();
  });
});

describe('a configured stage', () => {
  it('serves on its own domain, allows CORS only on public routes, subscribes alarm addresses', () => {
    const synth = synthesize({
      context: stageContext('prod', {
        terminationProtection: true,
        alarms: { emails: ['ops@maker.example'] },
        api: {
          corsOrigins: ['https://www.maker.example'],
          customDomain: {
            name: 'aftercare.maker.example',
            certificateArn:
              'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
          },
        },
      }),
    });
    expect(synth.stateless.terminationProtection).toBe(true);
    expect(synth.stateless.stackName).toBe('Aftercare-prod-Stateless');
    const byId = resourcesOf(synth.statelessTemplate);
    const resources = Object.values(byId);
    expect(synth.stateless.functions.size).toBeGreaterThan(0);
    for (const fn of synth.stateless.functions.values()) {
      const { Properties } = defined(byId[logicalId(synth.stateless, fn)], 'function');
      const variables = (Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(variables.PUBLIC_BASE_URL).toBe('https://aftercare.maker.example');
    }
    synth.statelessTemplate.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'aftercare.maker.example',
      SecurityPolicy: 'TLS_1_2',
    });
    synth.statelessTemplate.hasOutput('ApiDomainTarget', {});
    const preflights = resources.filter(
      (resource) =>
        resource.Type === 'AWS::ApiGateway::Method' && resource.Properties.HttpMethod === 'OPTIONS',
    );
    expect(preflights.length).toBeGreaterThan(0);
    expect(JSON.stringify(preflights)).toContain("'https://www.maker.example'");
    synth.statelessTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@maker.example',
    });
  });
});
