/**
 * The local event source mappings: poll each queue and invoke its consumer with a real SQS
 * batch event. As on Lambda, only records not reported in `batchItemFailures` are deleted,
 * and a thrown error fails the whole batch, so failures come back after the visibility
 * timeout and move to the dead-letter queue after the queue's maxReceiveCount. A batch above
 * ten messages (SQS's most a receive) is gathered as Lambda's batching window does: until
 * it is full or the window has passed.
 */
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { batchingWindowSeconds, type QueueName } from '#functions/wiring.ts';
import type { LocalFunction } from './lambda-runtime.ts';

export interface Poller {
  stop(): Promise<void>;
}

export interface PollerOptions {
  sqs: SQSClient;
  queue: QueueName;
  queueUrl: string;
  queueArn: string;
  region: string;
  /**
   * One consumer instance per concurrent poller, each its own module instance, as each Lambda
   * execution environment is: module state such as the survey's send pacer is not shared.
   */
  instances: LocalFunction[];
  /** The consumer's batch size now (`batchSizeFor` with its variables: a test may change them). */
  batchSize(): number;
  onError(message: string, error: unknown): void;
}

export function startPoller(options: PollerOptions): Poller {
  // Stopping aborts the long polls waiting for messages: a stop is prompt, not up to a
  // WaitTimeSeconds late. A batch already received still runs to its end and is deleted.
  const stopping = new AbortController();
  const loops = options.instances.map(async (consumer) => {
    if (consumer.spec.trigger.kind !== 'queue') {
      throw new Error(`${consumer.name} is not a queue consumer`);
    }
    while (!stopping.signal.aborted) {
      try {
        await pollOnce(options, consumer, options.batchSize(), stopping.signal);
      } catch (error) {
        if (stopping.signal.aborted) break;
        options.onError(`polling ${options.queue} failed`, error);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  });
  return {
    async stop() {
      stopping.abort();
      await Promise.all(loops);
    },
  };
}

async function pollOnce(
  options: PollerOptions,
  consumer: LocalFunction,
  batchSize: number,
  stopping: AbortSignal,
): Promise<void> {
  const receive = async (most: number, waitSeconds: number, signal?: AbortSignal) => {
    const received = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: most,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      signal ? { abortSignal: signal } : {},
    );
    return received.Messages ?? [];
  };
  const messages = await receive(Math.min(batchSize, 10), 1, stopping);
  if (messages.length === 0) return;
  // The rest of a batch above ten, ten a receive side by side. Not aborted by a stop (a
  // receive cut off in flight would hide its messages until their visibility timeout); a
  // stop ends the gathering and the batch runs with what it has.
  const windowEnds = Date.now() + batchingWindowSeconds(batchSize) * 1000;
  while (messages.length < batchSize && Date.now() < windowEnds && !stopping.aborted) {
    const wanted = batchSize - messages.length;
    const more = await Promise.all(
      Array.from({ length: Math.ceil(wanted / 10) }, (_, index) =>
        receive(Math.min(10, wanted - index * 10), 0),
      ),
    );
    const received = more.flat();
    messages.push(...received);
    if (received.length === 0) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, Math.min(50, windowEnds - Date.now()))),
      );
    }
  }

  const event: SQSEvent = { Records: messages.map((message) => sqsRecord(message, options)) };
  let failedIds: Set<string>;
  try {
    const result = (await consumer.invoke(event)) as SQSBatchResponse | undefined;
    failedIds = new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
  } catch (error) {
    options.onError(`${consumer.name} failed; the batch will be redelivered`, error);
    return;
  }
  const done = messages.filter((message) => !failedIds.has(message.MessageId as string));
  if (done.length === 0) return;
  // Ten a call (SQS's most), side by side.
  const deletes: Message[][] = [];
  for (let start = 0; start < done.length; start += 10) deletes.push(done.slice(start, start + 10));
  await Promise.all(
    deletes.map((entries) =>
      options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: entries.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle as string,
          })),
        }),
      ),
    ),
  );
}

function sqsRecord(message: Message, options: PollerOptions): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId as string,
    receiptHandle: message.ReceiptHandle as string,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp:
        attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        { dataType: value.DataType ?? 'String', stringValue: value.StringValue },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: options.queueArn,
    awsRegion: options.region,
  };
}
