import { SQSClient } from '@aws-sdk/client-sqs';
import { cachedPerEndpoint } from './local-endpoints.ts';

export const sqsClient = cachedPerEndpoint('sqs', (overrides) => new SQSClient(overrides));
