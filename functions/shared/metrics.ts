/**
 * Counts for CloudWatch through Powertools Metrics, written as Embedded Metric Format log
 * lines: Lambda's log delivery turns them into metrics, with no metrics API call and no extra
 * permission. The namespace is the stage's (`Aftercare/<stage>`, set by the stack; `Aftercare`
 * locally). Names and counts only, never personal data.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const metricsNamespace = 'Aftercare';
export const metricsService = 'aftercare';

/** The namespace of a stage's metrics: two stages in one account never share one. */
export function stageMetricsNamespace(stage: string): string {
  return `${metricsNamespace}/${stage}`;
}

/**
 * The business counts, with the dimension `service` only, so an alarm can watch each across
 * functions. The stack's alarms name some of them (infra/aws/business-alarms.ts).
 */
export const businessMetrics = [
  'ComplaintsReceived',
  'ComplaintsRejected',
  'AutomatedFormPosts',
  'MailsSent',
  'MailsBounced',
  'MailsRejected',
  'SurveyInvitationsSent',
  'SurveyAnswers',
  'Escalations',
] as const;
export type BusinessMetric = (typeof businessMetrics)[number];

const recorders = new Map<string, Metrics>();

function recorder(functionName?: string): Metrics {
  const key = functionName ?? '';
  let metrics = recorders.get(key);
  if (!metrics) {
    metrics = new Metrics({
      namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || metricsNamespace,
      serviceName: metricsService,
      ...(functionName ? { defaultDimensions: { function: functionName } } : {}),
    });
    recorders.set(key, metrics);
  }
  return metrics;
}

function publish(metrics: Metrics, counts: Partial<Record<string, number>>): void {
  if (process.env.LOG_LEVEL === 'silent') return;
  for (const [name, value] of Object.entries(counts)) {
    if (value !== undefined) metrics.addMetric(name, MetricUnit.Count, value);
  }
  metrics.publishStoredMetrics();
}

/** Operational counts of one function (dimensions `service` and `function`). */
export function putCounts(functionName: string, counts: Record<string, number>): void {
  publish(recorder(functionName), counts);
}

/** A business event happened `count` times (dimension `service`). */
export function countBusiness(name: BusinessMetric, count = 1): void {
  if (count <= 0) return;
  publish(recorder(), { [name]: count });
}
