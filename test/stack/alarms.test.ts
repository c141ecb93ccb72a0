/** Alarms: the encrypted topic and the alarm shapes every other construct uses. */
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { describe, expect, it } from 'vitest';
import { constructTest, plainFunction } from './construct-stack.ts';
import { logicalId } from './synth.ts';

describe('Alarms', () => {
  const { stack, alarms } = constructTest({ alarms: { emails: ['ops@example.com'] } });
  const fn = plainFunction(stack, 'Worker');
  alarms.function(stack, 'Worker', 'worker', fn, 10_000);
  alarms.add(stack, 'SomethingAlarm', new Metric({ namespace: 'X', metricName: 'Y' }), 3, 'why');
  const template = Template.fromStack(stack);
  const topic = { Ref: logicalId(stack, alarms.topic) };

  it('tells an encrypted topic, which mails the stage’s addresses', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: Match.anyValue(),
      DisplayName: 'Aftercare test alarms',
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    expect(logicalId(stack, alarms.topic)).toMatch(/^AlarmTopic[0-9A-F]{8}$/);
  });

  it('names each alarm with the stage and tells the topic on alarm only', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'aftercare-test-Something',
      Threshold: 3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: Match.absent(),
    });
  });

  it('watches a function’s errors, throttles and runs over 80 % of its timeout', () => {
    for (const [name, metric] of [
      ['WorkerErrors', 'Errors'],
      ['WorkerThrottles', 'Throttles'],
    ]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `aftercare-test-${name}`,
        MetricName: metric,
        Threshold: 1,
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'aftercare-test-WorkerNearTimeout',
      MetricName: 'Duration',
      Threshold: Duration.seconds(8).toMilliseconds(),
    });
  });
});
