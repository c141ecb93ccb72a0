/**
 * The API Gateway request authorizer in front of every staff route: it lets through only
 * requests with a genuine ID token from our user pool (a bearer token, or the session
 * cookie, whose token may have expired within the refresh token's life: the handler then
 * renews it). GET requests for console pages without any session pass too, because only
 * the handler can answer them with a redirect to the sign-in page (a gateway response
 * cannot tell a page from the JSON API); the handler checks everything again, roles included.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { verifyIdTokenSubject } from '#functions/services/staff-tokens.ts';
import { credentialsOf, sessionSeconds } from '#functions/shared/staff-session.ts';

export async function handler(
  event: APIGatewayRequestAuthorizerEvent,
): Promise<APIGatewayAuthorizerResult> {
  const credentials = credentialsOf(event);
  const page = event.httpMethod === 'GET' && !event.resource.startsWith('/staff/api/');
  if (credentials.kind === 'none') {
    if (page) return allow(event.methodArn, 'anonymous');
    throw new Error('Unauthorized');
  }
  const grace = credentials.kind === 'cookie' && credentials.refreshToken ? sessionSeconds : 0;
  const check = await verifyIdTokenSubject(credentials.idToken, grace);
  // The principal is the user's subject, not their address: the gateway may log it.
  if (check.outcome === 'valid') return allow(event.methodArn, check.subject);
  if (page) return allow(event.methodArn, 'anonymous');
  // API Gateway answers 401 for exactly this error message.
  throw new Error('Unauthorized');
}

function allow(methodArn: string, principalId: string): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: methodArn }],
    },
  };
}
