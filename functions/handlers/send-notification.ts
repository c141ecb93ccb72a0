/** Consumer of the notification queue: one email per message through SES, exactly once. */
import { notificationMessage } from '#functions/contract/messages.ts';
import { deliverNotification } from '#functions/services/notifications.ts';
import { sqsRecordHandler } from '#functions/shared/sqs-batch.ts';

export const handler = sqsRecordHandler('notification', notificationMessage, async (message) => {
  const outcome = await deliverNotification(message, new Date());
  return outcome === 'retry' ? 'retry' : 'done';
});
