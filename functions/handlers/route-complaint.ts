/** Consumer of the routing queue: decides who is told of a complaint and queues the emails. */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { routingMessage } from '#functions/contract/messages.ts';
import { routeComplaint } from '#functions/services/routing.ts';
import { processRecords } from '#functions/shared/sqs-batch.ts';

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  return processRecords(event, 'routing', routingMessage, async (message) => {
    await routeComplaint(message.complaintId);
    return 'done';
  });
}
