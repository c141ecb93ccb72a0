/**
 * The common shape of a queue consumer: each record of the batch is validated at the
 * boundary and handled on its own; the ones that failed or asked for a retry are reported
 * in `batchItemFailures`, so only they come back (and, past the queue's maxReceiveCount,
 * land in its dead-letter queue). A message that does not parse never will, so it is
 * reported too: it then ends in the dead-letter queue for someone to look at, not dropped.
 */
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod/mini';
import { parseMessage } from '#functions/contract/messages.ts';
import type { QueueName } from '#functions/wiring.ts';
import { errorFields, log } from './log.ts';

export type RecordOutcome = 'done' | 'retry';

export async function processRecords<S extends z.core.$ZodType>(
  event: SQSEvent,
  queue: QueueName,
  schema: S,
  handle: (message: z.output<S>, record: SQSRecord) => Promise<RecordOutcome>,
  /** Handle the batch's records side by side (each still on its own) instead of one by one. */
  options: { concurrent?: boolean } = {},
): Promise<SQSBatchResponse> {
  const one = async (record: SQSRecord): Promise<SQSBatchItemFailure | undefined> => {
    const fields = { queue, messageId: record.messageId };
    const message = parseMessage(schema, record.body);
    if (message === undefined) {
      log.error('invalid message; it will end in the dead-letter queue', fields);
      return { itemIdentifier: record.messageId };
    }
    try {
      if ((await handle(message, record)) === 'retry') return { itemIdentifier: record.messageId };
    } catch (error) {
      log.error('message failed; it will be retried', { ...fields, ...errorFields(error) });
      return { itemIdentifier: record.messageId };
    }
    return undefined;
  };
  const outcomes: (SQSBatchItemFailure | undefined)[] = [];
  if (options.concurrent) outcomes.push(...(await Promise.all(event.Records.map(one))));
  else for (const record of event.Records) outcomes.push(await one(record));
  return { batchItemFailures: outcomes.filter((failure) => failure !== undefined) };
}
