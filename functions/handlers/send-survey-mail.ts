/** Consumer of the survey queue: one invitation or reminder per message, paced to the SES rate. */
import { surveyMailMessage } from '#functions/contract/messages.ts';
import { sendSurveyMail, surveySendPacer } from '#functions/services/survey-mail.ts';
import { sqsRecordHandler } from '#functions/shared/sqs-batch.ts';

let pace: (() => Promise<void>) | undefined;

// In order: the pacer gives each record its slot in the batch's order.
export const handler = sqsRecordHandler(
  'survey',
  surveyMailMessage,
  async (message) => {
    pace ??= surveySendPacer();
    await pace();
    return (await sendSurveyMail(message, new Date())) === 'retry' ? 'retry' : 'done';
  },
  { inOrder: true },
);
