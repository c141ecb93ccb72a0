/** Consumer of the mail-event queue: SES's events (via SNS) recorded on each mail's marker. */
import { sesEvent } from '#functions/contract/mail-events.ts';
import { recordSesEvent } from '#functions/services/mail-events.ts';
import { sqsRecordHandler } from '#functions/shared/sqs-batch.ts';

export const handler = sqsRecordHandler('mailEvents', sesEvent, async (message) => {
  await recordSesEvent(message);
  return 'done';
});
