/**
 * The stage's alarms: the encrypted topic they tell, and the alarm shapes the other
 * constructs use for their own resources (each alarm is made in the caller's scope, next to
 * what it watches). Every alarm is named with the stage, so two stages in one account never
 * share one, and tells the topic when it fires, not when it recovers: one mail per problem.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation, type TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { FlatConstruct } from './flat.ts';

export interface AlarmsProps {
  stage: string;
  /** Who gets the alarm mails (each confirms its subscription). */
  emails: readonly string[];
}

export class Alarms extends FlatConstruct {
  readonly topic: Topic;
  private readonly stage: string;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.stage = props.stage;
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the alarm topic; CloudWatch alarms may use it to publish',
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch cannot publish to a topic under the AWS-managed SNS key: grant it this one.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: `Aftercare ${props.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    for (const email of props.emails) {
      this.topic.addSubscription(new EmailSubscription(email));
    }
  }

  /** An alarm at or above the threshold in one period, named `aftercare-<stage>-<id sans Alarm>`. */
  add(scope: Construct, id: string, metric: IMetric, threshold: number, description: string) {
    return this.tell(
      new Alarm(scope, id, {
        alarmName: `aftercare-${this.stage}-${id.replace(/Alarm$/, '')}`,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }),
    );
  }

  /**
   * Two alarms per dead-letter queue: one when anything is in it, and one each time its
   * count grows, so a queue that stays in alarm still tells about each new failure.
   */
  deadLetterQueue(scope: Construct, id: string, queue: IQueue): void {
    const visible = queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: Stats.MAXIMUM,
    });
    this.add(
      scope,
      `${id}Alarm`,
      visible,
      1,
      `A message is in ${id}: something failed for good. Inspect it, fix the cause, then redrive.`,
    );
    this.add(
      scope,
      `${id}GrowsAlarm`,
      new MathExpression({
        expression: 'DIFF(visible)',
        usingMetrics: { visible },
        label: `${id}: new messages`,
        period: Duration.minutes(1),
      }),
      1,
      `Another message arrived in ${id} (it may already be in alarm): something else failed for good.`,
    );
  }

  /** Errors, throttles and runs near the timeout; `id` is the function's construct id. */
  function(scope: Construct, id: string, name: string, fn: IFunction, timeoutMs: number): void {
    this.add(
      scope,
      `${id}ErrorsAlarm`,
      fn.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM }),
      1,
      `The ${name} function failed: see its log group.`,
    );
    this.add(
      scope,
      `${id}ThrottlesAlarm`,
      fn.metricThrottles({ period: Duration.minutes(5), statistic: Stats.SUM }),
      1,
      `The ${name} function was throttled: the account's concurrency is exhausted.`,
    );
    this.add(
      scope,
      `${id}NearTimeoutAlarm`,
      fn.metricDuration({ period: Duration.minutes(5), statistic: Stats.MAXIMUM }),
      Math.round(timeoutMs * 0.8),
      `The ${name} function ran for over 80 % of its ${timeoutMs / 1000} s timeout: it may soon be cut off.`,
    );
  }

  /** Throttled requests and server errors on the table (or an index). */
  table(table: TableV2): void {
    this.add(
      this,
      'TableThrottlesAlarm',
      new MathExpression({
        expression: 'readThrottles + writeThrottles',
        usingMetrics: {
          readThrottles: table.metric('ReadThrottleEvents', { statistic: Stats.SUM }),
          writeThrottles: table.metric('WriteThrottleEvents', { statistic: Stats.SUM }),
        },
        label: 'Table throttle events',
        period: Duration.minutes(5),
      }),
      1,
      'DynamoDB throttled requests to the table (or an index): see its CloudWatch metrics.',
    );
    this.add(
      this,
      'TableSystemErrorsAlarm',
      table.metricSystemErrorsForOperations({
        operations: [
          Operation.GET_ITEM,
          Operation.PUT_ITEM,
          Operation.UPDATE_ITEM,
          Operation.QUERY,
          Operation.BATCH_WRITE_ITEM,
        ],
        period: Duration.minutes(5),
        statistic: Stats.SUM,
      }),
      1,
      'DynamoDB answered requests with a server error: check the AWS Health Dashboard.',
    );
  }

  /**
   * The account's sending reputation, as SES measures it: above a 5 % bounce rate or a
   * 0.1 % complaint rate SES starts reviewing the account (and may pause its sending).
   */
  sesReputation(): void {
    const rates = [
      ['BounceRate', 'Reputation.BounceRate', 0.05, 'bounce rate above 5 %'],
      ['ComplaintRate', 'Reputation.ComplaintRate', 0.001, 'complaint rate above 0.1 %'],
    ] as const;
    for (const [id, metricName, threshold, what] of rates) {
      this.tell(
        new Alarm(this, `SesReputation${id}Alarm`, {
          alarmName: `aftercare-${this.stage}-SesReputation${id}`,
          metric: new Metric({
            namespace: 'AWS/SES',
            metricName,
            period: Duration.minutes(15),
            statistic: Stats.MAXIMUM,
          }),
          threshold,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
          alarmDescription: `The SES account's ${what}: SES reviews accounts past this level. Look at the mail events (bounces, complaints) of the survey and of complaint mail; stop the survey if it is the cause.`,
        }),
      );
    }
  }

  private tell(alarm: Alarm): Alarm {
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }
}
