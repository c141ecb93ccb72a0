/** WiredFunction: one wiring function with its own role, log group, environment and alarms. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { type Deployment, functionSpecs, queueNames } from '#functions/wiring.ts';
import { WiredFunction } from '#infra/aws/constructs/wired-function.ts';
import { constructTest } from './construct-stack.ts';
import { defined, logicalId } from './synth.ts';

describe('WiredFunction', () => {
  const { stack, config, alarms } = constructTest();
  const table = new TableV2(stack, 'Table', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
  });
  const deployment: Deployment = {
    tableName: table.tableName,
    queueUrls: Object.fromEntries(
      queueNames.map((name) => [name, `https://sqs/${name}`]),
    ) as Deployment['queueUrls'],
    publicBaseUrl: 'https://example.com',
    attachmentsBucket: 'files',
    mail: { from: 'a@example.com', replyTo: 'b@example.com' },
    staffIdentity: { userPoolId: 'pool', clientId: 'client', issuer: 'https://issuer' },
  };
  const spec = defined(new Map(functionSpecs()).get('submitComplaint'), 'submitComplaint');
  const wired = new WiredFunction(stack, {
    name: 'submitComplaint',
    spec,
    deployment,
    stage: config.stage,
    logRetentionDays: config.logRetentionDays,
    tracing: true,
    table,
    queueArn: (queue) => `arn:aws:sqs:us-east-1:123456789012:${queue}`,
    mailResources: [],
    attachments: Bucket.fromBucketName(stack, 'Files', 'files'),
    alarms,
  });
  const template = Template.fromStack(stack);

  it('keeps the ids the stack gave the function, its role and its log group', () => {
    expect(logicalId(stack, wired.function)).toMatch(/^SubmitComplaint[0-9A-F]{8}$/);
    expect(logicalId(stack, wired.role)).toMatch(/^SubmitComplaintRole[0-9A-F]{8}$/);
    template.hasResource('AWS::Logs::LogGroup', {});
    expect(Object.keys(template.findResources('AWS::Logs::LogGroup'))[0]).toMatch(
      /^SubmitComplaintLogs[0-9A-F]{8}$/,
    );
  });

  it('runs the spec’s handler with its memory, timeout, environment and metrics namespace', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: spec.memoryMb,
      Timeout: spec.timeoutSeconds,
      Architectures: ['arm64'],
      Role: { 'Fn::GetAtt': [logicalId(stack, wired.role), 'Arn'] },
      LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN' },
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: Match.objectLike({
          FORM_MINIMUM_FILL_SECONDS: '3',
          POWERTOOLS_METRICS_NAMESPACE: Match.stringLikeRegexp('test'),
          NODE_OPTIONS: Match.anyValue(),
        }),
      },
    });
  });

  it('grants only what the spec asks: its table access and its queues', () => {
    const policy = template.findResources('AWS::IAM::Policy');
    const statements = JSON.stringify(Object.values(policy));
    expect(statements).toContain('ReadWriteTable');
    expect(statements).toContain('arn:aws:sqs:us-east-1:123456789012:routing');
    expect(statements).not.toContain('ses:SendEmail');
    expect(statements).not.toContain('incoming/*');
  });

  it('has its three alarms', () => {
    for (const kind of ['Errors', 'Throttles', 'NearTimeout']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `aftercare-test-SubmitComplaint${kind}`,
      });
    }
  });
});
