/**
 * What keeps the system observable and its records safe: stage-named alarms that tell once
 * per problem (and again for each new dead letter), table and timeout alarms, the firewall's
 * log and managed rules, tracing, and backups that outlive point-in-time recovery.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionSpecs } from '#functions/wiring.ts';
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

beforeAll(() => {
  synth = synthesize();
  stateless = resourcesOf(synth.statelessTemplate);
});

const alarms = () =>
  Object.values(stateless)
    .filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm')
    .map((resource) => resource.Properties);

describe('alarms', () => {
  it('are named with the stage and notify when they fire, not when they recover', () => {
    for (const alarm of alarms()) {
      expect(String(alarm.AlarmName)).toMatch(new RegExp(`^aftercare-${synth.config.stage}-`));
      expect(alarm.OKActions).toBeUndefined();
    }
  });

  it('watch the API through its stage, so two stages never share a metric', () => {
    const serverErrors = alarms().filter((alarm) => alarm.MetricName === '5XXError');
    expect(serverErrors).toHaveLength(1);
    const dimensions = defined(serverErrors[0], '5XX alarm').Dimensions as { Name: string }[];
    const names = dimensions.map((dimension) => dimension.Name);
    expect(names.sort()).toEqual(['ApiName', 'Stage']);
  });

  it('tell about each new dead-lettered message, even while already in alarm', () => {
    const growing = alarms().filter((alarm) =>
      JSON.stringify(alarm.Metrics ?? []).includes('DIFF(visible)'),
    );
    // One per queue's dead-letter queue, and the schedules' one.
    expect(growing.length).toBe(synth.stateless.queues.size + 1);
  });

  it.each(functionSpecs())('%s: running near its timeout', (name, spec) => {
    const fn = defined(synth.stateless.functions.get(name), name);
    const near = alarms().filter(
      (alarm) =>
        alarm.MetricName === 'Duration' &&
        JSON.stringify(alarm.Dimensions).includes(`"${logicalId(synth.stateless, fn)}"`),
    );
    expect(near).toHaveLength(1);
    expect(near[0]?.Threshold).toBe(spec.timeoutSeconds * 800);
  });

  it('watch the table for throttling and server errors', () => {
    const expressions = alarms().map((alarm) => JSON.stringify(alarm.Metrics ?? []));
    expect(expressions.some((metrics) => metrics.includes('ReadThrottleEvents'))).toBe(true);
    expect(expressions.some((metrics) => metrics.includes('SystemErrors'))).toBe(true);
  });

  it('warn at synth when nobody is subscribed', () => {
    const warnings = synth.app.synth().getStackArtifact(synth.stateless.artifactId).messages;
    expect(warnings.map((message) => String(message.entry.data))).toEqual(
      expect.arrayContaining([expect.stringContaining('has no alarms.emails')]),
    );
  });
});

describe('the firewall', () => {
  it('logs to a kept log group with cookies and tokens redacted', () => {
    synth.statelessTemplate.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: [
        { SingleHeader: { Name: 'cookie' } },
        { SingleHeader: { Name: 'authorization' } },
      ],
    });
    synth.statelessTemplate.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: `aws-waf-logs-aftercare-${synth.config.stage}`,
      RetentionInDays: Match.anyValue(),
    });
  });

  it('runs the common, known-bad-inputs and IP-reputation rule groups, letting long complaints through', () => {
    const [, acl] = defined(
      Object.entries(stateless).find(([, resource]) => resource.Type === 'AWS::WAFv2::WebACL'),
      'web ACL',
    );
    const rules = acl.Properties.Rules as {
      Statement: { ManagedRuleGroupStatement?: { Name: string; RuleActionOverrides?: unknown } };
    }[];
    const groups = rules.flatMap((rule) => rule.Statement.ManagedRuleGroupStatement ?? []);
    expect(groups.map((group) => group.Name).sort()).toEqual([
      'AWSManagedRulesAmazonIpReputationList',
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
    ]);
    expect(groups.find((group) => group.Name === 'AWSManagedRulesCommonRuleSet')).toMatchObject({
      RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
    });
    expect(alarms().some((alarm) => alarm.MetricName === 'BlockedRequests')).toBe(true);
  });
});

describe('tracing', () => {
  it('traces the API stage and every function', () => {
    synth.statelessTemplate.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
    });
    const functions = Object.values(stateless).filter(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' &&
        String(resource.Properties.Description ?? '').length > 0 &&
        resource.Properties.Runtime !== undefined &&
        JSON.stringify(resource.Properties.Environment ?? {}).includes('PUBLIC_BASE_URL'),
    );
    expect(functions).toHaveLength(functionSpecs().length);
    for (const fn of functions) expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
  });
});

describe('records', () => {
  it('are backed up daily for 35 days and monthly for the stage’s years, in a kept vault', () => {
    const stateful = resourcesOf(synth.statefulTemplate);
    const vault = Object.values(stateful).find(
      (resource) => resource.Type === 'AWS::Backup::BackupVault',
    );
    expect(vault?.DeletionPolicy).toBe('Retain');
    synth.statefulTemplate.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: Match.arrayWith([
          Match.objectLike({ RuleName: 'Daily', Lifecycle: { DeleteAfterDays: 35 } }),
          Match.objectLike({
            RuleName: 'Monthly',
            Lifecycle: { DeleteAfterDays: 365 * synth.config.records.backupYears },
          }),
        ]),
      },
    });
    synth.statefulTemplate.resourceCountIs('AWS::Backup::BackupSelection', 1);
  });

  it('are encrypted with the stage’s own key where it asks for one', () => {
    const own = synthesize({
      context: stageContext('keyed', {
        region: 'eu-central-1',
        records: { customerManagedKey: true },
      }),
    });
    own.statefulTemplate.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    own.statefulTemplate.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
    });
    synth.statefulTemplate.resourceCountIs('AWS::KMS::Key', 0);
    expect(() =>
      synthesize({ context: stageContext('unplaced', { records: { customerManagedKey: true } }) }),
    ).toThrow(/region: must be set when records.customerManagedKey is true/);
  });
});
