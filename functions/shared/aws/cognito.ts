import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { cachedPerEndpoint } from './local-endpoints.ts';

export const cognitoClient = cachedPerEndpoint(
  'cognito',
  (overrides) => new CognitoIdentityProviderClient(overrides),
);
