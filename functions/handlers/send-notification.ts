/** Consumer of the notification queue: one email per message through SES, exactly once. */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { notificationMessage } from '#functions/contract/messages.ts';
import { deliverNotification } from '#functions/services/notifications.ts';
import { processRecords } from '#functions/shared/sqs-batch.ts';

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  return processRecords(event, 'notification', notificationMessage, async (message) => {
    const outcome = await deliverNotification(message);
    return outcome === 'retry' ? 'retry' : 'done';
  });
}
