/**
 * Alarms on the business metrics that mean trouble (functions/shared/metrics.ts): mail SES
 * refused, a run of bounces, and a spike of refused complaint submissions (a broken form, or
 * someone hammering it). Each watches the stage's own metrics namespace and is named with the
 * stage; like the stack's other alarms it tells the topic when it fires, not when it recovers.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import {
  type BusinessMetric,
  metricsService,
  stageMetricsNamespace,
} from '#functions/shared/metrics.ts';

interface BusinessAlarm {
  id: string;
  metric: BusinessMetric;
  /** Alarm when the sum over `minutes` reaches this. */
  threshold: number;
  minutes: number;
  description: string;
}

export const businessAlarmSpecs: readonly BusinessAlarm[] = [
  {
    id: 'MailsRejected',
    metric: 'MailsRejected',
    threshold: 1,
    minutes: 15,
    description: 'SES refused a mail (reject or rendering failure): check the template and sender.',
  },
  {
    id: 'MailsBouncing',
    metric: 'MailsBounced',
    threshold: 20,
    minutes: 60,
    description:
      '20 or more bounces in an hour: a bad customer list, or the sender reputation at risk.',
  },
  {
    id: 'ComplaintsRejectedSpike',
    metric: 'ComplaintsRejected',
    threshold: 50,
    minutes: 5,
    description: '50 or more refused complaint submissions in 5 minutes: a broken form, or abuse.',
  },
];

/** The environment that puts a function's metrics in the stage's namespace. */
export function metricsEnvironment(stage: string): Record<string, string> {
  return {
    POWERTOOLS_METRICS_NAMESPACE: stageMetricsNamespace(stage),
    POWERTOOLS_SERVICE_NAME: metricsService,
  };
}

export function addBusinessAlarms(scope: Construct, stage: string, topic: ITopic): Alarm[] {
  return businessAlarmSpecs.map((spec) => {
    const alarm = new Alarm(scope, `Business${spec.id}Alarm`, {
      alarmName: `aftercare-${stage}-${spec.id}`,
      metric: new Metric({
        namespace: stageMetricsNamespace(stage),
        metricName: spec.metric,
        dimensionsMap: { service: metricsService },
        statistic: 'Sum',
        period: Duration.minutes(spec.minutes),
      }),
      threshold: spec.threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: spec.description,
    });
    alarm.addAlarmAction(new SnsAction(topic));
    return alarm;
  });
}
