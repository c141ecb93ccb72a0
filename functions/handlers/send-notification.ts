/** Consumer of the notification queue: one email per message through SES, exactly once. */
import { notificationMessage } from '#functions/contract/messages.ts';
import { deliverNotification } from '#functions/services/notifications.ts';
import { sqsRecordHandler } from '#functions/shared/sqs-batch.ts';

export const handler = sqsRecordHandler('notification', notificationMessage, async (message) => {
  // The clock stamps SES's answer, which may come well after this message's `now`.
  const outcome = await deliverNotification(message, new Date(), () => new Date());
  return outcome === 'retry' ? 'retry' : 'done';
});
