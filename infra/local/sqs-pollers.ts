/**
 * The local event source mappings: poll each queue and invoke its consumer with a real SQS
 * batch event. As on Lambda, only records not reported in `batchItemFailures` are deleted,
 * and a thrown error fails the whole batch, so failures come back after the visibility
 * timeout and move to the dead-letter queue after the queue's maxReceiveCount.
 */
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { QueueName } from '#functions/wiring.ts';
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
  onError(message: string, error: unknown): void;
}

export function startPoller(options: PollerOptions): Poller {
  // Stopping aborts the long polls waiting for messages: a stop is prompt, not up to a
  // WaitTimeSeconds late. A batch already received still runs to its end and is deleted.
  const stopping = new AbortController();
  const loops = options.instances.map(async (consumer) => {
    const trigger = consumer.spec.trigger;
    if (trigger.kind !== 'queue') throw new Error(`${consumer.name} is not a queue consumer`);
    while (!stopping.signal.aborted) {
      try {
        await pollOnce(options, consumer, trigger.batchSize, stopping.signal);
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
  const received = await options.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: options.queueUrl,
      MaxNumberOfMessages: Math.min(batchSize, 10),
      WaitTimeSeconds: 1,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
    { abortSignal: stopping },
  );
  const messages = received.Messages ?? [];
  if (messages.length === 0) return;

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
  await options.sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: options.queueUrl,
      Entries: done.map((message, index) => ({
        Id: String(index),
        ReceiptHandle: message.ReceiptHandle as string,
      })),
    }),
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
