/**
 * The bench's like-for-like floor for intake on the local host: the calls a complaint's
 * intake makes, in its two round trips, with none of our code around them (no validation,
 * middleware, logging or page). Round one: the year's counter, the address's registry entry
 * (which an index copies) and the description; round two: the complaint (which two indexes
 * copy) beside the message. Items of about intake's sizes, under `BENCH#` keys that no
 * reader of the table looks at, and the message to the bench's own queue. Served by the
 * local host beside the wiring's functions (`benchFunctions`), never deployed.
 */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { sqsClient } from '#functions/shared/aws/sqs.ts';
import { requiredSetting } from '#functions/shared/config.ts';
import { environmentNames } from '#functions/wiring.ts';
import { benchQueueVariable } from './bare-intake-handler.ts';

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const TableName = requiredSetting(environmentNames.tableName);
  const id = randomUUID();
  const now = new Date().toISOString();
  const body = event.body ?? '';
  const customer = `BENCH#CUSTOMER#${id}`;
  const client = documentClient();
  const [counter] = await Promise.all([
    client.send(
      new UpdateCommand({
        TableName,
        Key: { pk: 'BENCH#COUNTER', sk: now.slice(0, 4) },
        UpdateExpression: 'ADD #value :one',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    ),
    client.send(
      new UpdateCommand({
        TableName,
        Key: { pk: customer, sk: 'CUSTOMER' },
        UpdateExpression:
          'SET #profile = :profile, registryKey = :registry, registrySort = :sort, updatedAt = :now, createdAt = if_not_exists(createdAt, :now)',
        ConditionExpression: 'attribute_not_exists(acknowledgedOn) OR acknowledgedOn < :now',
        ExpressionAttributeNames: { '#profile': 'profile' },
        ExpressionAttributeValues: {
          ':profile': body.slice(0, 200),
          ':registry': 'BENCH#REGISTRY',
          ':sort': customer,
          ':now': now,
        },
      }),
    ),
    client.send(
      new PutCommand({
        TableName,
        Item: { pk: `BENCH#${id}`, sk: 'DESCRIPTION', description: body.slice(0, 200) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  ]);
  await Promise.all([
    client.send(
      new PutCommand({
        TableName,
        Item: {
          pk: `BENCH#${id}`,
          sk: 'COMPLAINT',
          body,
          reference: String(counter.Attributes?.value),
          referenceKey: 'BENCH#REFERENCE',
          referenceSort: `BENCH#${id}`,
          customerKey: customer,
          customerSort: now,
          status: 'received',
          createdAt: now,
          updatedAt: now,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
    sqsClient().send(
      new SendMessageCommand({
        QueueUrl: requiredSetting(benchQueueVariable),
        MessageBody: JSON.stringify({ complaintId: id }),
      }),
    ),
  ]);
  return {
    statusCode: 202,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id }),
  };
}
