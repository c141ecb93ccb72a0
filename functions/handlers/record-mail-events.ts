/** Consumer of the mail-event queue: SES's events (via SNS) recorded on each mail's marker. */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { sesEvent } from '#functions/contract/mail-events.ts';
import { recordSesEvent } from '#functions/services/mail-events.ts';
import { processRecords } from '#functions/shared/sqs-batch.ts';

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  return processRecords(event, 'mailEvents', sesEvent, async (message) => {
    await recordSesEvent(message);
    return 'done';
  });
}
