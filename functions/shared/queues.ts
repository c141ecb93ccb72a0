/** Sending to the queues named in the wiring description. */
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { environmentNames, type QueueName } from '#functions/wiring.ts';
import { sqsClient } from './aws/sqs.ts';
import { requiredSetting } from './config.ts';

export async function sendToQueue(queue: QueueName, message: unknown): Promise<void> {
  await sqsClient().send(
    new SendMessageCommand({
      QueueUrl: requiredSetting(environmentNames.queueUrl(queue)),
      MessageBody: JSON.stringify(message),
    }),
  );
}

/**
 * Sends the messages ten to a SendMessageBatch (one request each); an entry SQS refuses
 * fails the call, so the caller's step is retried (its consumers are idempotent).
 */
export async function sendBatchToQueue(queue: QueueName, messages: unknown[]): Promise<void> {
  const QueueUrl = requiredSetting(environmentNames.queueUrl(queue));
  for (let start = 0; start < messages.length; start += 10) {
    const result = await sqsClient().send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: messages.slice(start, start + 10).map((message, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify(message),
        })),
      }),
    );
    const failed = result.Failed ?? [];
    if (failed.length > 0) {
      throw new Error(
        `${failed.length} of the messages to ${queue} were refused: ${failed.map((entry) => entry.Code).join(', ')}`,
      );
    }
  }
}
