/**
 * How mail leaves: the SES feedback loop's alarms (account reputation, the event queue's
 * dead-letter queue), separate configuration sets for transactional and survey mail, and a
 * stage's custom MAIL FROM domain and TLS requirement.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { environmentNames, functions, queues } from '#functions/wiring.ts';
import { logicalId, resourcesOf, type Synthesized, stageContext, synthesize } from './synth.ts';

let synth: Synthesized;

beforeAll(() => {
  synth = synthesize();
});

const alarms = () =>
  Object.values(resourcesOf(synth.statelessTemplate)).filter(
    (resource) => resource.Type === 'AWS::CloudWatch::Alarm',
  );

describe('SES feedback alarms', () => {
  it.each([
    ['Reputation.BounceRate', 0.05],
    ['Reputation.ComplaintRate', 0.001],
  ])('alarms on the account’s %s above %s, to the alarm topic', (metricName, threshold) => {
    const alarm = alarms().find((resource) => resource.Properties.MetricName === metricName);
    expect(alarm?.Properties).toMatchObject({
      Namespace: 'AWS/SES',
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: logicalId(synth.stateless, synth.stateless.alarmTopic) }],
    });
    expect(alarm?.Properties.Dimensions).toBeUndefined();
  });

  it('the mail-event queue has a dead-letter queue, and an alarm on it', () => {
    const pair = synth.stateless.queues.get('mailEvents');
    if (!pair) throw new Error('no mailEvents queue');
    const queueId = logicalId(synth.stateless, pair.queue);
    const deadId = logicalId(synth.stateless, pair.deadLetterQueue);
    expect(resourcesOf(synth.statelessTemplate)[queueId]?.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [deadId, 'Arn'] },
      maxReceiveCount: queues.mailEvents.maxReceiveCount,
    });
    const onDead = alarms().filter((alarm) =>
      JSON.stringify(alarm.Properties).includes(`"${deadId}"`),
    );
    expect(onDead.length).toBeGreaterThanOrEqual(1);
  });

  it('the consumer of SES’s events may queue the owner’s "phone instead" mail', () => {
    expect(functions.recordMailEvents.sendsTo).toContain('notification');
    synth.statelessTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: {
        Ref: logicalId(synth.stateless, defined(synth.stateless.functions.get('recordMailEvents'))),
      },
    });
  });
});

function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('undefined');
  return value;
}

describe('configuration sets', () => {
  it('gives the senders both sets: survey mail is tracked apart from complaint mail', () => {
    const fn = synth.stateless.functions.get('sendSurveyMail');
    const resource = resourcesOf(synth.statelessTemplate)[logicalId(synth.stateless, defined(fn))];
    const variables = resource?.Properties.Environment as { Variables: Record<string, unknown> };
    const sets = [
      JSON.stringify(variables.Variables[environmentNames.sesConfigurationSet]),
      JSON.stringify(variables.Variables[environmentNames.sesSurveyConfigurationSet]),
    ];
    expect(sets[0]).toContain('MailSettings');
    expect(sets[1]).toContain('SurveyMailSettings');
  });
});

describe('a stage with a MAIL FROM domain and TLS required', () => {
  let custom: Synthesized;
  beforeAll(() => {
    custom = synthesize({
      context: stageContext('strictmail', {
        mail: {
          identity: 'example.com',
          from: 'Aftercare <aftercare@example.com>',
          replyTo: 'service@example.com',
          mailFromDomain: 'bounce.example.com',
          requireTls: true,
        },
      }),
    });
  });

  it('sets the identity’s MAIL FROM domain and prints its MX and SPF records', () => {
    const resources = Object.values(resourcesOf(custom.statefulTemplate));
    const identity = resources.find((resource) => resource.Type === 'AWS::SES::EmailIdentity');
    expect(identity?.Properties.MailFromAttributes).toEqual({
      MailFromDomain: 'bounce.example.com',
      BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
    });
    const outputs = custom.statefulTemplate.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(JSON.stringify(outputs.MailFromMxRecord?.Value)).toMatch(
      /bounce\.example\.com MX 10 feedback-smtp\..*amazonses\.com/,
    );
    expect(outputs.MailFromTxtRecord?.Value).toBe(
      'bounce.example.com TXT "v=spf1 include:amazonses.com ~all"',
    );
    expect(Object.keys(outputs).filter((name) => name.startsWith('DkimRecord'))).toHaveLength(3);
  });

  it('requires TLS on both configuration sets', () => {
    const sets = Object.values(resourcesOf(custom.statefulTemplate)).filter(
      (resource) => resource.Type === 'AWS::SES::ConfigurationSet',
    );
    expect(sets.map((set) => set.Properties.DeliveryOptions)).toEqual([
      { TlsPolicy: 'REQUIRE' },
      { TlsPolicy: 'REQUIRE' },
    ]);
  });

  it('refuses a MAIL FROM domain outside the identity’s domain', () => {
    expect(() =>
      synthesize({
        context: stageContext('badmail', {
          mail: {
            identity: 'example.com',
            from: 'Aftercare <aftercare@example.com>',
            replyTo: 'service@example.com',
            mailFromDomain: 'bounce.other.example',
          },
        }),
      }),
    ).toThrow(/mail.mailFromDomain: must be a subdomain of example.com/);
  });
});
