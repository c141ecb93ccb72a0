/** Sending to the queues named in the wiring description. */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
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
