/** Consumer of the survey queue: one invitation or reminder per message, paced to the SES rate. */
import type { Context, SQSEvent } from 'aws-lambda';
import { surveyMailMessage } from '#functions/contract/messages.ts';
import { CampaignTally, sendSurveyMail, surveySendPacer } from '#functions/services/survey-mail.ts';
import type { SendWindow } from '#functions/shared/pacer.ts';
import { sqsRecordHandler } from '#functions/shared/sqs-batch.ts';

let pace: SendWindow | undefined;
/** An environment runs one batch at a time: the batch's counts, written once it is done. */
const tally = new CampaignTally();

// Concurrent: the batch's mails are prepared side by side; each waits for its turn in the
// send window right before SES, so the table work overlaps while the sends keep to the rate.
const handleBatch = sqsRecordHandler('survey', surveyMailMessage, async (message) => {
  pace ??= surveySendPacer();
  // The clock stamps SES's answer, which comes after the pacing wait.
  const outcome = await sendSurveyMail(message, new Date(), () => new Date(), pace, tally);
  return outcome === 'retry' ? 'retry' : 'done';
});

export async function handler(event: SQSEvent, context: Context) {
  try {
    return await handleBatch(event, context);
  } finally {
    await tally.flush();
  }
}
