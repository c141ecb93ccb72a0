/**
 * The local API Gateway: every REST route of the wiring description, answered by building
 * the REST (v1) proxy event the real API Gateway sends and returning the handler's result.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
} from 'aws-lambda';
import * as z from 'zod/mini';
import type { HttpMethod } from '#functions/wiring.ts';
import type { LocalFunction } from './lambda-runtime.ts';

// API Gateway's own payload limit; the handlers enforce their smaller ones.
const apiGatewayMaxBodyBytes = 10 * 1024 * 1024;

interface Route {
  method: HttpMethod;
  resource: string;
  pattern: RegExp;
  parameterNames: string[];
  target: LocalFunction<string>;
  /** The request authorizer API Gateway runs first, on every staff route. */
  authorizer?: LocalFunction<string>;
}

export function routesOf(functions: LocalFunction<string>[]): Route[] {
  const authorizer = functions.find((candidate) => candidate.spec.trigger.kind === 'authorizer');
  return functions.flatMap((target) =>
    target.spec.trigger.kind === 'http'
      ? target.spec.trigger.routes.map((route) => {
          const parameterNames: string[] = [];
          const pattern = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
            parameterNames.push(name);
            return '([^/]+)';
          });
          return {
            method: route.method,
            resource: route.path,
            pattern: new RegExp(`^${pattern}$`),
            parameterNames,
            target,
            authorizer: route.public ? undefined : requireAuthorizer(authorizer, route.path),
          };
        })
      : [],
  );
}

function requireAuthorizer(
  authorizer: LocalFunction<string> | undefined,
  path: string,
): LocalFunction<string> {
  if (!authorizer) throw new Error(`${path} needs an authorizer, and the wiring has none`);
  return authorizer;
}

export type LocalRequestOutcome = 'handled' | 'no_route';

export async function answerFromRoutes(
  routes: Route[],
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<LocalRequestOutcome> {
  // API Gateway ignores a trailing slash: /staff/ is /staff.
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  const match = routes
    .map((route) => ({ route, found: route.pattern.exec(path) }))
    .find(({ route, found }) => found && route.method === request.method);
  if (!match?.found) return 'no_route';

  const body = await readBody(request);
  if (body === undefined) {
    send(response, { statusCode: 413, body: JSON.stringify({ message: 'Request too large' }) });
    return 'handled';
  }
  // As API Gateway's REST proxy does, path parameters are passed as sent, still percent-encoded.
  const pathParameters = Object.fromEntries(
    match.route.parameterNames.map((name, index) => [name, match.found?.[index + 1] ?? '']),
  );
  const event = proxyEvent(request, url, match.route.resource, pathParameters, body);
  if (match.route.authorizer) {
    const refusal = await authorize(match.route.authorizer, event);
    if (refusal) {
      send(response, refusal);
      return 'handled';
    }
  }
  try {
    send(response, (await match.route.target.invoke(event)) as APIGatewayProxyResult);
  } catch {
    // What API Gateway answers when the integration fails.
    send(response, { statusCode: 502, body: JSON.stringify({ message: 'Internal server error' }) });
  }
  return 'handled';
}

/**
 * Runs the request authorizer as API Gateway does: an `Unauthorized` error is a 401, a Deny
 * a 403, any other failure a 500; an Allow passes its principal and context on.
 */
async function authorize(
  authorizer: LocalFunction<string>,
  event: APIGatewayProxyEvent,
): Promise<APIGatewayProxyResult | undefined> {
  const request: APIGatewayRequestAuthorizerEvent = {
    type: 'REQUEST',
    methodArn: `arn:aws:execute-api:local:000000000000:local/local/${event.httpMethod}${event.resource}`,
    resource: event.resource,
    path: event.path,
    httpMethod: event.httpMethod,
    headers: event.headers,
    multiValueHeaders: event.multiValueHeaders,
    pathParameters: event.pathParameters,
    queryStringParameters: event.queryStringParameters,
    multiValueQueryStringParameters: event.multiValueQueryStringParameters,
    stageVariables: event.stageVariables,
    requestContext: { ...event.requestContext, authorizer: undefined },
  };
  let result: unknown;
  try {
    result = await authorizer.invoke(request);
  } catch (error) {
    if (error instanceof Error && error.message === 'Unauthorized') {
      return { statusCode: 401, body: JSON.stringify({ message: 'Unauthorized' }) };
    }
    return { statusCode: 500, body: JSON.stringify({ message: null }) };
  }
  const decision = authorizerResult.safeParse(result);
  if (!decision.success) return { statusCode: 500, body: JSON.stringify({ message: null }) };
  const allowed = decision.data.policyDocument.Statement.every(
    (statement) => statement.Effect === 'Allow',
  );
  if (!allowed) {
    return {
      statusCode: 403,
      body: JSON.stringify({ message: 'User is not authorized to access this resource' }),
    };
  }
  event.requestContext.authorizer = {
    principalId: decision.data.principalId,
    ...decision.data.context,
  };
  return undefined;
}

const authorizerResult = z.object({
  principalId: z.string(),
  policyDocument: z.object({
    Statement: z.array(z.object({ Effect: z.enum(['Allow', 'Deny']) })),
  }),
  context: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
});

function proxyEvent(
  request: IncomingMessage,
  url: URL,
  resource: string,
  pathParameters: Record<string, string>,
  body: string,
): APIGatewayProxyEvent {
  // Without a prototype: a header or query name such as `constructor` is just a name.
  const headers: Record<string, string> = Object.create(null);
  const multiValueHeaders: Record<string, string[]> = Object.create(null);
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index] as string;
    const value = request.rawHeaders[index + 1] as string;
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const query: Record<string, string> = Object.create(null);
  const multiQuery: Record<string, string[]> = Object.create(null);
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    multiQuery[name] = [...(multiQuery[name] ?? []), value];
  }
  const hasQuery = url.searchParams.size > 0;
  const now = Date.now();
  return {
    resource,
    path: url.pathname,
    httpMethod: request.method ?? 'GET',
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    stageVariables: null,
    body: body === '' ? null : body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      httpMethod: request.method ?? 'GET',
      path: url.pathname,
      protocol: `HTTP/${request.httpVersion}`,
      requestId: randomUUID(),
      requestTimeEpoch: now,
      resourceId: 'local',
      resourcePath: resource,
      stage: 'local',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        user: null,
        userAgent: request.headers['user-agent'] ?? null,
        userArn: null,
      },
    },
  };
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > apiGatewayMaxBodyBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, result: APIGatewayProxyResult): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    headers[name] = values.map(String);
  }
  response.writeHead(result.statusCode, headers);
  response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}
