/**
 * The synthesized stacks against the wiring description: every function, route, queue and
 * schedule it lists is there, configured as the issue asks, and nothing gets more access
 * than the wiring grants. Bundling is skipped here (see bundle-size.test.ts for that).
 */

import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableIndexes, tableKeys, ttlAttribute } from '#functions/data/table.ts';
import { defaultSite } from '#functions/shared/site.ts';
import {
  batchingWindowSeconds,
  batchSizeFor,
  type Deployment,
  environmentFor,
  environmentNames,
  type FunctionName,
  functionSpecs,
  queueNames,
  queues,
  sesEventTypes,
  surveySesEventTypes,
  visibilityTimeoutSeconds,
} from '#functions/wiring.ts';
import { tableActions } from '#infra/aws/access.ts';
import { nodeOptions } from '#infra/aws/bundling.ts';
import { metricsEnvironment } from '#infra/aws/business-alarms.ts';
import {
  defined,
  logicalId,
  resourcesOf,
  type Synthesized,
  synthesize,
  type TemplateResource,
} from './synth.ts';

let synth: Synthesized;
let resources: Record<string, TemplateResource>;

beforeAll(() => {
  synth = synthesize();
  resources = resourcesOf(synth.statelessTemplate);
});

const ofType = (type: string) =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type);

const functionId = (name: string) => {
  const fn = synth.stateless.functions.get(name as FunctionName);
  if (!fn) throw new Error(`no function ${name}`);
  return logicalId(synth.stateless, fn);
};

const queueId = (name: (typeof queueNames)[number], dead = false) => {
  const pair = synth.stateless.queues.get(name);
  if (!pair) throw new Error(`no queue ${name}`);
  return logicalId(synth.stateless, dead ? pair.deadLetterQueue : pair.queue);
};

const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every statement of the identity policies attached to a role. */
function roleStatements(roleId: string): Statement[] {
  return ofType('AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
    .flatMap(
      ([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
}

const actionsOf = (statement: Statement) => [statement.Action].flat();
const resourcesOfStatement = (statement: Statement) => [statement.Resource].flat();

describe('functions', () => {
  const placeholder: Deployment = {
    tableName: 'table',
    attachmentsBucket: 'bucket',
    queueUrls: Object.fromEntries(
      queueNames.map((queue) => [queue, queue]),
    ) as Deployment['queueUrls'],
    publicBaseUrl: 'https://example.com',
    mail: {
      from: 'from',
      replyTo: 'reply',
      configurationSet: 'set',
      surveyConfigurationSet: 'survey-set',
    },
    staffIdentity: { userPoolId: 'pool', clientId: 'client', issuer: 'issuer' },
    site: defaultSite,
  };

  it.each(functionSpecs())(
    '%s: nodejs24.x on arm64 with its memory, timeout and environment',
    (name, spec) => {
      const fn = resources[functionId(name)];
      expect(fn?.Type).toBe('AWS::Lambda::Function');
      const properties = fn?.Properties ?? {};
      expect(properties.Runtime).toBe('nodejs24.x');
      expect(properties.Architectures).toEqual(['arm64']);
      expect(properties.MemorySize).toBe(spec.memoryMb);
      expect(properties.Timeout).toBe(spec.timeoutSeconds);
      expect(properties.Handler).toBe('index.handler');
      expect(properties.LoggingConfig).toMatchObject({ LogFormat: 'JSON' });
      expect(properties.LoggingConfig).toHaveProperty('LogGroup');

      const variables = (properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      const expected = environmentFor(spec, placeholder);
      expect(Object.keys(variables).sort()).toEqual(
        [
          ...Object.keys(expected),
          'NODE_OPTIONS',
          // The stage's metrics namespace (infra/aws/business-alarms.ts).
          ...Object.keys(metricsEnvironment(synth.config.stage)),
        ].sort(),
      );
      expect(variables.NODE_OPTIONS).toBe(nodeOptions);
      // The company name and privacy notice are bundled (bundled-defines.test.ts), not set here.
      expect(JSON.stringify(variables)).not.toContain(synth.config.customerPages.company.en);
      for (const [variable, value] of Object.entries(spec.settings ?? {})) {
        expect(variables[variable]).toBe(value);
      }
      if (spec.sendsEmail) {
        expect(variables[environmentNames.mailFrom]).toBe(synth.config.mail.from);
        expect(variables[environmentNames.mailReplyTo]).toBe(synth.config.mail.replyTo);
      }
      // The public address is built from the API id and the literal stage name: no reference
      // to the stage or deployment, which would close a dependency cycle through the methods.
      const url = JSON.stringify(variables[environmentNames.publicBaseUrl]);
      expect(url).toContain(logicalId(synth.stateless, synth.stateless.api));
      expect(url).toContain(`/${synth.config.stage}`);
      expect(url).not.toMatch(/Stage|Deployment/);
    },
  );

  it('has no function the wiring description does not list', () => {
    // Besides the wiring's functions, only the deploy-time writer of department addresses.
    const provider = synth.stateless.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
    const others = ofType('AWS::Lambda::Function')
      .map(([id]) => id)
      .filter((id) => !functionSpecs().some(([name]) => functionId(name) === id));
    expect(others).toEqual(provider ? [logicalId(synth.stateless, provider)] : []);
  });
});

describe('queues', () => {
  it.each(functionSpecs().filter(([, spec]) => spec.trigger.kind === 'queue'))(
    '%s: its event source mapping reports partial batch failures',
    (name, spec) => {
      if (spec.trigger.kind !== 'queue') throw new Error('not a consumer');
      const trigger = spec.trigger;
      const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(
        ([, mapping]) =>
          JSON.stringify(mapping.Properties.FunctionName) ===
          JSON.stringify({ Ref: functionId(name) }),
      );
      expect(mappings).toHaveLength(1);
      expect(mappings[0]?.[1].Properties).toMatchObject({
        EventSourceArn: arnOf(queueId(trigger.queue)),
        BatchSize: batchSizeFor(spec),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: trigger.maxConcurrency },
      });
      // Lambda requires a batching window above ten messages; the local pollers keep the same.
      expect(mappings[0]?.[1].Properties.MaximumBatchingWindowInSeconds).toBe(
        batchingWindowSeconds(batchSizeFor(spec)) > 0
          ? batchingWindowSeconds(batchSizeFor(spec))
          : undefined,
      );
    },
  );

  it.each(queueNames)(
    '%s: dead-letter queue, visibility timeout, SSL only, SQS-managed encryption',
    (name) => {
      const queue = resources[queueId(name)]?.Properties;
      expect(queue?.RedrivePolicy).toEqual({
        deadLetterTargetArn: arnOf(queueId(name, true)),
        maxReceiveCount: queues[name].maxReceiveCount,
      });
      expect(queue?.VisibilityTimeout).toBe(visibilityTimeoutSeconds(name));
      for (const [, spec] of functionSpecs()) {
        if (spec.trigger.kind === 'queue' && spec.trigger.queue === name) {
          expect(queue?.VisibilityTimeout).toBeGreaterThanOrEqual(6 * spec.timeoutSeconds);
        }
      }
      for (const id of [queueId(name), queueId(name, true)]) {
        expect(resources[id]?.Properties.SqsManagedSseEnabled).toBe(true);
        synth.statelessTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        });
      }
    },
  );
});

describe('SES mail events', () => {
  const topicId = () => logicalId(synth.stateless, synth.stateless.mailEventTopic);
  const eventQueues = queueNames.filter((name) => queues[name].source === 'sesEvents');

  it('both configuration sets publish the event types the wiring lists to the topic (the survey’s without deliveries)', () => {
    const destinations = ofType('AWS::SES::ConfigurationSetEventDestination');
    // Transactional mail and the survey: one configuration set each, one destination each.
    expect(destinations).toHaveLength(2);
    const sets: string[] = [];
    for (const [, destination] of destinations) {
      const properties = destination.Properties as {
        ConfigurationSetName: unknown;
        EventDestination: {
          Enabled: boolean;
          MatchingEventTypes: string[];
          SnsDestination: { TopicARN: unknown };
        };
      };
      expect(properties.EventDestination.Enabled).toBe(true);
      expect(properties.EventDestination.SnsDestination.TopicARN).toEqual({ Ref: topicId() });
      const set = JSON.stringify(properties.ConfigurationSetName);
      expect([...properties.EventDestination.MatchingEventTypes].sort()).toEqual(
        [...(set.includes('SurveyMailSettings') ? surveySesEventTypes : sesEventTypes)].sort(),
      );
      sets.push(set);
    }
    // The stateful stack's configuration sets, the ones every mail is sent with.
    expect(sets.some((set) => /MailSettings/.test(set) && !/Survey/.test(set))).toBe(true);
    expect(sets.some((set) => set.includes('SurveyMailSettings'))).toBe(true);
  });

  it('only SES, for this configuration set, may publish to the encrypted topic', () => {
    const topic = resources[topicId()]?.Properties;
    expect(topic?.KmsMasterKeyId).toBeDefined();
    const policies = ofType('AWS::SNS::TopicPolicy').filter(([, policy]) =>
      JSON.stringify(policy.Properties.Topics).includes(`"${topicId()}"`),
    );
    const statements = policies.flatMap(
      ([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    const publish = statements.filter(
      (statement) => statement.Effect === 'Allow' && actionsOf(statement).includes('sns:Publish'),
    );
    // One grant per configuration set's destination.
    expect(publish).toHaveLength(2);
    expect(publish[0]).toMatchObject({
      Principal: { Service: 'ses.amazonaws.com' },
      Condition: {
        StringEquals: {
          'AWS:SourceAccount': expect.anything(),
          'AWS:SourceArn': expect.anything(),
        },
      },
    });
    expect(JSON.stringify(publish[0])).toContain(':configuration-set/');
  });

  it.each(eventQueues)(
    '%s: subscribed to the topic with raw delivery, SNS may send to it',
    (name) => {
      synth.statelessTemplate.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'sqs',
        TopicArn: { Ref: topicId() },
        Endpoint: arnOf(queueId(name)),
        RawMessageDelivery: true,
      });
      synth.statelessTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId(name) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Action: 'sqs:SendMessage',
              Principal: { Service: 'sns.amazonaws.com' },
              Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topicId() } } },
            }),
          ]),
        },
      });
    },
  );

  it('a consumer from the wiring reads the event queue', () => {
    expect(eventQueues.length).toBeGreaterThan(0);
    for (const name of eventQueues) {
      const consumers = functionSpecs().filter(
        ([, spec]) => spec.trigger.kind === 'queue' && spec.trigger.queue === name,
      );
      expect(consumers).toHaveLength(1);
    }
  });
});

describe('API', () => {
  /** `METHOD /path` for every method, the path rebuilt from the resource tree. */
  function apiRoutes(): string[] {
    const pathOf = (reference: unknown): string => {
      const ref = (reference as { Ref?: string }).Ref;
      if (!ref) return '';
      const resource = resources[ref]?.Properties ?? {};
      return `${pathOf(resource.ParentId)}/${String(resource.PathPart)}`;
    };
    return ofType('AWS::ApiGateway::Method').map(
      ([, method]) =>
        `${String(method.Properties.HttpMethod)} ${pathOf(method.Properties.ResourceId) || '/'}`,
    );
  }

  it('has every route of the wiring description, and no other', () => {
    const expected = functionSpecs().flatMap(([, spec]) =>
      spec.trigger.kind === 'http'
        ? spec.trigger.routes.map((route) => `${route.method} ${route.path}`)
        : [],
    );
    expect(apiRoutes().sort()).toEqual(expected.sort());
  });

  it('sends each route to the function the wiring description names', () => {
    for (const [name, spec] of functionSpecs()) {
      if (spec.trigger.kind !== 'http') continue;
      const methods = ofType('AWS::ApiGateway::Method').filter(([, method]) =>
        JSON.stringify(method.Properties.Integration).includes(`"${functionId(name)}"`),
      );
      expect(methods).toHaveLength(spec.trigger.routes.length);
    }
  });

  it('throttles the stage, logs access without bodies, and sits behind a WAF rate rule', () => {
    synth.statelessTemplate.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: synth.config.stage,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: [
        Match.objectLike({
          ThrottlingRateLimit: synth.config.api.rateLimit,
          ThrottlingBurstLimit: synth.config.api.burstLimit,
          DataTraceEnabled: false,
          LoggingLevel: 'ERROR',
        }),
      ],
    });
    const stage = defined(ofType('AWS::ApiGateway::Stage')[0], 'stage')[1];
    const format = String((stage.Properties.AccessLogSetting as { Format: string }).Format);
    expect(format).not.toMatch(/\$input|requestBody|\$context\.path\b/);
    synth.statelessTemplate.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: Match.arrayWith([
        Match.objectLike({
          Statement: {
            RateBasedStatement: Match.objectLike({
              Limit: synth.config.api.wafRequestsPerFiveMinutes,
              AggregateKeyType: 'IP',
            }),
          },
          Action: { Block: Match.anyValue() },
        }),
      ]),
    });
    synth.statelessTemplate.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  it('answers no CORS preflight unless origins are configured', () => {
    expect(apiRoutes().filter((route) => route.startsWith('OPTIONS'))).toEqual([]);
  });
});

describe('schedules', () => {
  it.each(functionSpecs().filter(([, spec]) => spec.trigger.kind === 'schedule'))(
    '%s: EventBridge Scheduler with its time zone, retries and a dead-letter queue',
    (name, spec) => {
      if (spec.trigger.kind !== 'schedule') throw new Error('not scheduled');
      synth.statelessTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: spec.trigger.expression,
        ScheduleExpressionTimezone: spec.trigger.timezone,
        Target: Match.objectLike({
          Arn: arnOf(functionId(name)),
          Input: JSON.stringify({
            schedule: spec.trigger.name,
            scheduledTime: '<aws.scheduler.scheduled-time>',
            executionId: '<aws.scheduler.execution-id>',
          }),
          RetryPolicy: Match.objectLike({
            MaximumRetryAttempts: synth.config.scheduleRetryAttempts,
          }),
          DeadLetterConfig: {
            Arn: arnOf(logicalId(synth.stateless, synth.stateless.scheduleDeadLetterQueue)),
          },
        }),
      });
    },
  );
});

describe('the stateful stack', () => {
  it('keeps the table: on-demand, PITR, deletion protection, TTL, retained', () => {
    const tables = Object.values(resourcesOf(synth.statefulTemplate)).filter(
      (resource) => resource.Type === 'AWS::DynamoDB::GlobalTable',
    );
    expect(tables).toHaveLength(1);
    const table = tables[0] as TemplateResource;
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: tableKeys.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableKeys.sortKey, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
      Replicas: [
        {
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        },
      ],
    });
    const indexes = (table.Properties.GlobalSecondaryIndexes as { IndexName: string }[]).map(
      (index) => index.IndexName,
    );
    expect(indexes.sort()).toEqual(Object.keys(tableIndexes).sort());
  });

  it('sends mail through an identity whose configuration sets suppress bounces, TLS where offered', () => {
    // TLS required only where a stage asks for it (mail.requireTls; see mail-sending.test.ts).
    const sets = Object.values(resourcesOf(synth.statefulTemplate)).filter(
      (resource) => resource.Type === 'AWS::SES::ConfigurationSet',
    );
    expect(sets).toHaveLength(2);
    for (const set of sets) {
      expect(set.Properties).toMatchObject({
        DeliveryOptions: { TlsPolicy: 'OPTIONAL' },
        SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
        ReputationOptions: { ReputationMetricsEnabled: true },
      });
    }
    synth.statefulTemplate.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: synth.config.mail.identity,
      ConfigurationSetAttributes: Match.anyValue(),
    });
  });
});

describe('least privilege', () => {
  it('grants no table, queue or mail action on a wildcard resource', () => {
    const policies = [
      ...ofType('AWS::IAM::Policy'),
      ...Object.entries(resourcesOf(synth.statefulTemplate)).filter(
        ([, resource]) => resource.Type === 'AWS::IAM::Policy',
      ),
    ];
    expect(policies.length).toBeGreaterThan(0);
    for (const [id, policy] of policies) {
      for (const statement of (policy.Properties.PolicyDocument as { Statement: Statement[] })
        .Statement) {
        if (!actionsOf(statement).some((action) => /^(dynamodb|sqs|ses):/.test(action))) continue;
        expect(
          actionsOf(statement).some((action) => action.includes('*')),
          id,
        ).toBe(false);
        for (const resource of resourcesOfStatement(statement)) {
          expect(JSON.stringify(resource), id).not.toContain('*');
        }
      }
    }
  });

  it.each(functionSpecs())(
    '%s gets exactly the table, queue and mail access the wiring grants',
    (name, spec) => {
      const fn = defined(resources[functionId(name)], name);
      const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const statements = roleStatements(roleId);

      const tableStatements = statements.filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
      );
      if (spec.table === 'none') {
        expect(tableStatements).toEqual([]);
      } else {
        expect(tableStatements).toHaveLength(1);
        expect(actionsOf(tableStatements[0] as Statement).sort()).toEqual(
          [...tableActions[spec.table]].sort(),
        );
      }

      const sendTargets = statements
        .filter((statement) => actionsOf(statement).includes('sqs:SendMessage'))
        .flatMap(resourcesOfStatement)
        .map((resource) => JSON.stringify(resource));
      const expectedTargets = spec.sendsTo.map((queue) => JSON.stringify(arnOf(queueId(queue))));
      if (spec.trigger.kind === 'schedule') {
        // A scheduled run that fails for good goes to the schedules' dead-letter queue.
        expectedTargets.push(
          JSON.stringify(
            arnOf(logicalId(synth.stateless, synth.stateless.scheduleDeadLetterQueue)),
          ),
        );
      }
      expect(sendTargets.sort()).toEqual(expectedTargets.sort());

      const mail = statements.filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('ses:')),
      );
      expect(mail.length > 0).toBe(spec.sendsEmail);
      for (const statement of mail) {
        expect(actionsOf(statement).sort()).toEqual(['ses:SendEmail']);
        // The identity and the two configuration sets (transactional, survey).
        expect(resourcesOfStatement(statement)).toHaveLength(3);
      }
    },
  );
});

describe('alarms', () => {
  const alarms = () => ofType('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
  const topic = () => ({ Ref: logicalId(synth.stateless, synth.stateless.alarmTopic) });

  it('every alarm notifies the alarm topic', () => {
    expect(alarms().length).toBeGreaterThan(0);
    for (const alarm of alarms()) expect(alarm.AlarmActions).toEqual([topic()]);
  });

  it.each(functionSpecs())('%s: errors and throttles', (name) => {
    for (const metric of ['Errors', 'Throttles']) {
      expect(
        alarms().filter(
          (alarm) =>
            alarm.MetricName === metric &&
            JSON.stringify(alarm.Dimensions) ===
              JSON.stringify([{ Name: 'FunctionName', Value: { Ref: functionId(name) } }]),
        ),
      ).toHaveLength(1);
    }
  });

  it.each(queueNames)('%s: any dead-lettered message, and the oldest message age', (name) => {
    const on = (metric: string, id: string) =>
      alarms().filter(
        (alarm) =>
          alarm.MetricName === metric && JSON.stringify(alarm.Dimensions).includes(`"${id}"`),
      );
    const deadLetter = on('ApproximateNumberOfMessagesVisible', queueId(name, true));
    expect(deadLetter).toHaveLength(1);
    expect(deadLetter[0]).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(on('ApproximateAgeOfOldestMessage', queueId(name))).toHaveLength(1);
  });

  it('the schedules’ dead-letter queue alarms too', () => {
    const id = logicalId(synth.stateless, synth.stateless.scheduleDeadLetterQueue);
    expect(
      alarms().filter(
        (alarm) =>
          alarm.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(alarm.Dimensions).includes(`"${id}"`),
      ),
    ).toHaveLength(1);
  });
});

describe('cdk-nag', () => {
  it('leaves no AwsSolutions finding unacknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(synth.app);
    const findings = report.violations.map(
      (violation) =>
        `${violation.ruleName} at ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
  });
});
