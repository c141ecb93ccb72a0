/** Consumer of the routing queue: decides who is told of a complaint and queues the emails. */
import * as z from 'zod/mini';
import { routingMessage } from '#functions/contract/messages.ts';
import { routeComplaint } from '#functions/services/routing.ts';
import { sqsRecordHandler } from '#functions/shared/sqs-batch.ts';

/** SQS's `SentTimestamp`: epoch milliseconds, as text. */
const sentTimestamp = z.pipe(
  z.string().check(z.regex(/^\d{1,15}$/)),
  z.transform((value: string) => Number(value)),
);

export const handler = sqsRecordHandler('routing', routingMessage, async (message, record) => {
  const now = new Date();
  const sent = sentTimestamp.safeParse(record.attributes.SentTimestamp);
  // Without a readable sending time the message counts as sent now: the longest wait.
  await routeComplaint(message.complaintId, now, sent.success ? sent.data : now.getTime());
  return 'done';
});
