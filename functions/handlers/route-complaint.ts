/** Consumer of the routing queue: decides who is told of a complaint and queues the emails. */
import { routingMessage } from '#functions/contract/messages.ts';
import { routeComplaint } from '#functions/services/routing.ts';
import { sqsRecordHandler } from '#functions/shared/sqs-batch.ts';

export const handler = sqsRecordHandler('routing', routingMessage, async (message) => {
  await routeComplaint(message.complaintId, new Date());
  return 'done';
});
