import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { cachedPerEndpoint } from './local-endpoints.ts';

export const documentClient = cachedPerEndpoint('dynamodb', (overrides) =>
  DynamoDBDocumentClient.from(new DynamoDBClient(overrides), {
    marshallOptions: { removeUndefinedValues: true },
  }),
);
