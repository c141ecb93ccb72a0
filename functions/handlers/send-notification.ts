/** Consumer of the notification queue: one email per message through SES, exactly once. */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { notificationMessage } from '#functions/contract/messages.ts';
import { deliverNotification } from '#functions/services/notifications.ts';
import { processRecords } from '#functions/shared/sqs-batch.ts';

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  // Routing queues a complaint's notifications in one batch: they go out side by side (each
  // has its own exactly-once marker, so two copies of one message still send one email).
  return processRecords(
    event,
    'notification',
    notificationMessage,
    async (message) => {
      const outcome = await deliverNotification(message);
      return outcome === 'retry' ? 'retry' : 'done';
    },
    { concurrent: true },
  );
}
