/** Helpers for routing and notification tests: queues, the complaint's partition, the mailbox. */
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#functions/data/keys.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { clientOverrides } from '#functions/shared/aws/local-endpoints.ts';
import type { QueueName } from '#functions/wiring.ts';
import { localTableName } from '#infra/local/host.ts';
import { type SentEmail, sentEmails, type TestHost } from './local-host.ts';

function sqs(): SQSClient {
  return new SQSClient(clientOverrides('sqs'));
}

/** Puts a message body on a queue, as a redelivery or a stray producer would. */
export async function sendRawMessage(host: TestHost, queue: QueueName, body: unknown) {
  await sqs().send(
    new SendMessageCommand({
      QueueUrl: host.queueUrls[queue],
      MessageBody: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

/** Messages waiting plus messages being handled (received, not yet deleted). */
export async function queueDepth(queueUrl: string): Promise<number> {
  const result = await sqs().send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const attributes = result.Attributes ?? {};
  return (
    Number(attributes.ApproximateNumberOfMessages ?? 0) +
    Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

export async function deadLetterQueueUrl(host: TestHost, queue: QueueName): Promise<string> {
  const name = `${host.queueUrls[queue].split('/').pop()}-dlq`;
  const result = await sqs().send(new GetQueueUrlCommand({ QueueName: name }));
  return result.QueueUrl as string;
}

/** Bodies on a dead-letter queue, looked at without taking them off (visibility 0). */
export async function peekMessages(queueUrl: string): Promise<string[]> {
  const result = await sqs().send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      WaitTimeSeconds: 0,
    }),
  );
  return (result.Messages ?? []).map((message) => message.Body ?? '');
}

/**
 * Waits until the host has drained: every message sent so far handled (or dead-lettered),
 * on every queue, and no invocation running (`host.drained()`).
 */
export async function waitUntilQueuesIdle(host: TestHost): Promise<void> {
  await host.drained();
}

/** Every email about one complaint (its reference is in every subject). */
export async function emailsAbout(host: TestHost, reference: string): Promise<SentEmail[]> {
  return (await sentEmails(host)).filter((email) => email.subject.includes(reference));
}

/** `{ address: count }` over the To addresses of the emails. */
export function countByRecipient(emails: SentEmail[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const email of emails) {
    for (const address of email.destination.to) counts[address] = (counts[address] ?? 0) + 1;
  }
  return counts;
}

/** Every item of the complaint's partition: the complaint, history, assignments, markers. */
export async function complaintPartition(id: string): Promise<Record<string, unknown>[]> {
  const result = await documentClient().send(
    new QueryCommand({
      TableName: localTableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.complaintPartition(id) },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

export async function historyEvents(id: string): Promise<Record<string, unknown>[]> {
  return (await complaintPartition(id)).filter((item) => String(item.sk).startsWith('EVENT#'));
}
