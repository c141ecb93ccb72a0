/**
 * Counts for CloudWatch, written as Embedded Metric Format log lines: Lambda's log
 * delivery turns them into metrics (namespace `Aftercare`, dimension `function`), with no
 * metrics API call and no extra permission. Names and counts only, never personal data.
 */
export const metricsNamespace = 'Aftercare';

export function putCounts(functionName: string, counts: Record<string, number>): void {
  if (process.env.LOG_LEVEL === 'silent') return;
  const line = {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: metricsNamespace,
          Dimensions: [['function']],
          Metrics: Object.keys(counts).map((name) => ({ Name: name, Unit: 'Count' })),
        },
      ],
    },
    function: functionName,
    ...counts,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
