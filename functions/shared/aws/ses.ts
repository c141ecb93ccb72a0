import { SESv2Client } from '@aws-sdk/client-sesv2';
import { cachedPerEndpoint } from './local-endpoints.ts';

export const sesClient = cachedPerEndpoint('ses', (overrides) => new SESv2Client(overrides));
