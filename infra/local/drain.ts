/**
 * When the local host has nothing left to do: no invocation running (HTTP, queue or
 * schedule) and every queue empty, with no message in flight or delayed. Tests wait for
 * this instead of sleeping to prove that nothing more happens.
 */
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { LocalFunction } from './lambda-runtime.ts';

/** Counts the invocations running now, across every function of the host, and like work. */
export class Activity {
  private running = 0;
  /** Invocations started so far: unchanged across a check means none ran during it. */
  private started = 0;

  /** A mark that changes when an invocation starts; undefined while one runs. */
  idleMark(): number | undefined {
    return this.running === 0 ? this.started : undefined;
  }

  /** The same function, counted while an invocation of it runs. */
  track<F extends LocalFunction<string>>(fn: F): F {
    return { ...fn, invoke: (event) => this.during(() => fn.invoke(event)) };
  }

  /** Other work that may put a message on a queue (SES publishing an event), counted alike. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    this.started++;
    try {
      return await work();
    } finally {
      this.running--;
    }
  }
}

const counts = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
] as const;

/** Messages a queue still holds: waiting, being handled (or waiting to be retried), delayed. */
async function messagesIn(sqs: SQSClient, queueUrl: string): Promise<number> {
  const result = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...counts] }),
  );
  return counts.reduce((sum, name) => sum + Number(result.Attributes?.[name] ?? 0), 0);
}

/**
 * Resolves once nothing runs and every queue is empty (a failed message waiting for its
 * retry keeps a queue busy until it succeeds or is dead-lettered); rejects after
 * `timeoutMs`, naming what was still busy.
 */
export async function drained(
  sqs: SQSClient,
  queueUrls: Record<string, string>,
  activity: Activity,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const busy: string[] = [];
    const before = activity.idleMark();
    if (before === undefined) busy.push('invocations');
    for (const [queue, url] of Object.entries(queueUrls)) {
      if ((await messagesIn(sqs, url)) > 0) busy.push(`queue ${queue}`);
    }
    // No invocation ran while the queues were read, so none added a message to one read before.
    if (busy.length === 0 && activity.idleMark() === before) return;
    if (Date.now() > deadline) {
      throw new Error(`The local host did not drain in ${timeoutMs} ms: ${busy.join(', ')} busy`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
