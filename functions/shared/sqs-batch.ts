/**
 * The common shape of a queue consumer, on Powertools' batch processing: each record of the
 * batch is validated at the boundary and handled on its own; the ones that failed or asked
 * for a retry are reported in `batchItemFailures`, so only they come back (and, past the
 * queue's maxReceiveCount, land in its dead-letter queue). A message that does not parse
 * never will, so it is reported too: it then ends in the dead-letter queue for someone to
 * look at, not dropped.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod/mini';
import { parseMessage } from '#functions/contract/messages.ts';
import type { QueueName } from '#functions/wiring.ts';
import { errorFields, log, logger } from './log.ts';

export type RecordOutcome = 'done' | 'retry';

/** A record that asked to come back later: reported as failed, but not an error to log. */
class RetryLater extends Error {
  override name = 'RetryLater';
}

/** A record the schema refuses: reported as failed, so it ends in the dead-letter queue. */
class InvalidMessage extends Error {
  override name = 'InvalidMessage';
}

/** The partial batch response for `event`, each record handled by `handle`. */
export async function processRecords<S extends z.core.$ZodType>(
  event: SQSEvent,
  queue: QueueName,
  schema: S,
  handle: (message: z.output<S>, record: SQSRecord) => Promise<RecordOutcome>,
  context?: Context,
): Promise<SQSBatchResponse> {
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const fields = { queue, messageId: record.messageId };
    const message = parseMessage(schema, record.body);
    if (message === undefined) {
      log.error('invalid message; it will end in the dead-letter queue', fields);
      throw new InvalidMessage();
    }
    let outcome: RecordOutcome;
    try {
      outcome = await handle(message, record);
    } catch (error) {
      log.error('message failed; it will be retried', { ...fields, ...errorFields(error) });
      throw error;
    }
    if (outcome === 'retry') throw new RetryLater();
  };
  return processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
    ...(context ? { context } : {}),
    // A batch's records are handled side by side (the survey sender paces each send itself).
    processInParallel: true,
    // A batch whose every record failed is reported as such, not thrown: the same records
    // come back either way, and a throw would log the whole batch as one failure.
    throwOnFullBatchFailure: false,
  });
}

/** The SQS record-handler factory: a Lambda handler for `queue`, with the request's keys in its logs. */
export function sqsRecordHandler<S extends z.core.$ZodType>(
  queue: QueueName,
  schema: S,
  handle: (message: z.output<S>, record: SQSRecord) => Promise<RecordOutcome>,
) {
  return middy<SQSEvent, SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event, context) => processRecords(event, queue, schema, handle, context));
}
