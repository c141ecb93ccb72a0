/**
 * The bench's floor for intake on the local host: a function that does what intake's
 * platform path cannot avoid, one PutItem and one SendMessage, with the same clients as the
 * product's functions, and nothing else (no validation, middleware or logging). Served by
 * the local host beside the wiring's functions (`benchFunctions`), never deployed.
 */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { sqsClient } from '#functions/shared/aws/sqs.ts';
import { requiredSetting } from '#functions/shared/config.ts';
import { environmentNames } from '#functions/wiring.ts';

/** The variable naming the bench's own queue, which no consumer reads. */
export const benchQueueVariable = 'BENCH_QUEUE_URL';

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const id = randomUUID();
  await documentClient().send(
    new PutCommand({
      TableName: requiredSetting(environmentNames.tableName),
      Item: { pk: `BENCH#${id}`, sk: 'BENCH', size: event.body?.length ?? 0 },
    }),
  );
  await sqsClient().send(
    new SendMessageCommand({
      QueueUrl: requiredSetting(benchQueueVariable),
      MessageBody: JSON.stringify({ id }),
    }),
  );
  return {
    statusCode: 202,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id }),
  };
}
