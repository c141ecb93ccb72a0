/** WiredQueue: a wiring queue with its dead-letter queue and their alarms, under the old ids. */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { queues as queueSpecs, visibilityTimeoutSeconds } from '#functions/wiring.ts';
import { WiredQueue } from '#infra/aws/constructs/wired-queue.ts';
import { constructTest } from './construct-stack.ts';
import { logicalId } from './synth.ts';

describe('WiredQueue', () => {
  const { stack, alarms } = constructTest();
  const wired = new WiredQueue(stack, { name: 'routing', alarms, oldestMessageAgeMinutes: 30 });
  const template = Template.fromStack(stack);

  it('is the queue and its dead-letter queue, ids as in the stack before the split', () => {
    expect(logicalId(stack, wired.queue)).toMatch(/^RoutingQueue[0-9A-F]{8}$/);
    expect(logicalId(stack, wired.deadLetterQueue)).toMatch(/^RoutingDeadLetterQueue[0-9A-F]{8}$/);
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: visibilityTimeoutSeconds('routing'),
      MessageRetentionPeriod: 4 * 24 * 3600,
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(stack, wired.deadLetterQueue), 'Arn'] },
        maxReceiveCount: queueSpecs.routing.maxReceiveCount,
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
  });

  it('alarms on the dead-letter queue (any message, each new one) and on old messages', () => {
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => (alarm.Properties as { AlarmName: string }).AlarmName,
    );
    expect(names.sort()).toEqual([
      'aftercare-test-RoutingDeadLetterQueue',
      'aftercare-test-RoutingDeadLetterQueueGrows',
      'aftercare-test-RoutingQueueOldestMessage',
    ]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'aftercare-test-RoutingQueueOldestMessage',
      Threshold: 30 * 60,
      AlarmActions: [{ Ref: logicalId(stack, alarms.topic) }],
    });
  });
});
