/** ScheduledFunction: a wiring schedule invoking its function, failures to the dead-letter queue. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { ScheduledFunction } from '#infra/aws/constructs/scheduled-function.ts';
import { constructTest, plainFunction } from './construct-stack.ts';
import { logicalId } from './synth.ts';

describe('ScheduledFunction', () => {
  const { stack } = constructTest();
  const fn = plainFunction(stack, 'SlaEscalation');
  const deadLetterQueue = new Queue(stack, 'ScheduleDeadLetterQueue');
  const scheduled = new ScheduledFunction(stack, {
    name: 'slaEscalation',
    fn,
    trigger: { name: 'sla-escalation', expression: 'rate(15 minutes)', timezone: 'Asia/Shanghai' },
    retryAttempts: 4,
    deadLetterQueue,
  });
  const template = Template.fromStack(stack);
  const queueArn = { 'Fn::GetAtt': [logicalId(stack, deadLetterQueue), 'Arn'] };

  it('keeps the schedule’s id and invokes the function with the schedule event', () => {
    expect(logicalId(stack, scheduled.schedule)).toMatch(/^SlaEscalationSchedule[0-9A-F]{8}$/);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Description: 'sla-escalation: rate(15 minutes) (Asia/Shanghai)',
      Target: {
        Arn: { 'Fn::GetAtt': [logicalId(stack, fn), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: queueArn },
      },
    });
    const input = JSON.stringify(template.toJSON());
    expect(input).toContain('sla-escalation');
    expect(input).toContain('<aws.scheduler.scheduled-time>');
  });

  it('lets the scheduler invoke exactly this function', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'lambda:InvokeFunction',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [logicalId(stack, fn), 'Arn'] },
          },
        ]),
      },
    });
  });

  it('sends runs that fail after Lambda’s retries to the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: queueArn } },
    });
  });
});
