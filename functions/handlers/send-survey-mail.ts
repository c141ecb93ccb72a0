/** Consumer of the survey queue: one invitation or reminder per message, paced to the SES rate. */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { surveyMailMessage } from '#functions/contract/messages.ts';
import { sendSurveyMail } from '#functions/services/survey-mail.ts';
import { numberSetting } from '#functions/shared/config.ts';
import { pacer } from '#functions/shared/pacer.ts';
import { processRecords } from '#functions/shared/sqs-batch.ts';
import { functions } from '#functions/wiring.ts';

// Each concurrent instance takes its share of the account's rate.
const instances = functions.sendSurveyMail.trigger.maxConcurrency;
let pace: (() => Promise<void>) | undefined;

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  pace ??= pacer(numberSetting('SURVEY_SEND_RATE_PER_SECOND', 10) / instances);
  const waitForSlot = pace;
  // The batch's mails are prepared side by side; each waits for its slot just before SES.
  return processRecords(
    event,
    'survey',
    surveyMailMessage,
    async (message) =>
      (await sendSurveyMail(message, new Date(), waitForSlot)) === 'retry' ? 'retry' : 'done',
    { concurrent: true },
  );
}
