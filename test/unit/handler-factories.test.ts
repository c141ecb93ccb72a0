/**
 * The HTTP handler factory (middy's header normalizer, content negotiation, body parsers,
 * security headers and error handler) and the SQS record-handler factory (Powertools' batch
 * processing), called as Lambda calls them.
 */
import type { APIGatewayProxyEvent, Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { parseBody, wantsHtml } from '#functions/shared/http.ts';
import { httpHandler } from '#functions/shared/http-handler.ts';
import { errorFields } from '#functions/shared/log.ts';
import { sqsRecordHandler } from '#functions/shared/sqs-batch.ts';

const context: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'test',
  functionVersion: '1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test',
  memoryLimitInMB: '256',
  awsRequestId: 'request-1',
  logGroupName: 'test',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

let previousLevel: string | undefined;
beforeAll(() => {
  previousLevel = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = 'silent';
});
afterAll(() => {
  process.env.LOG_LEVEL = previousLevel;
});

function post(body: string, headers: Record<string, string>): APIGatewayProxyEvent {
  return {
    resource: '/things',
    path: '/things',
    httpMethod: 'POST',
    headers,
    multiValueHeaders: {},
    body,
    isBase64Encoded: false,
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
  };
}

/** A handler that answers with what it was given, and counts its calls. */
function echo(maxBodyBytes?: number, routeBytes = 1024) {
  const calls: APIGatewayProxyEvent[] = [];
  const handler = httpHandler(
    async (event) => {
      calls.push(event);
      const body = parseBody(event, routeBytes);
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ body, html: wantsHtml(event) }),
      };
    },
    maxBodyBytes === undefined ? {} : { maxBodyBytes },
  );
  return { handler, calls };
}

const json = { 'Content-Type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('the HTTP handler factory', () => {
  it('parses JSON and nests dotted form names, with header names of any case', async () => {
    const { handler } = echo();
    const fromJson = await handler(post('{"a":1}', json), context);
    expect(JSON.parse(fromJson.body).body).toEqual({ ok: true, format: 'json', data: { a: 1 } });
    const fromForm = await handler(post('customer.email=a%40b.c&x=1&x=2', form), context);
    expect(JSON.parse(fromForm.body).body).toEqual({
      ok: true,
      format: 'form',
      data: { customer: { email: 'a@b.c' }, x: '1' },
    });
  });

  it('answers 415 for another media type and 400 for broken JSON, without calling the handler', async () => {
    const { handler, calls } = echo();
    const unsupported = await handler(post('hello', { 'content-type': 'text/plain' }), context);
    expect(unsupported.statusCode).toBe(415);
    expect(JSON.parse(unsupported.body)).toMatchObject({ error: 'unsupported_media_type' });
    expect(unsupported.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
    const broken = await handler(post('{"a":', json), context);
    expect(broken.statusCode).toBe(400);
    expect(JSON.parse(broken.body)).toMatchObject({ error: 'invalid_json' });
    expect(calls).toHaveLength(0);
  });

  it('answers 413 over the size before parsing: JSON for an API client, a bilingual page for a form', async () => {
    const { handler, calls } = echo(32);
    const big = JSON.stringify({ text: 'x'.repeat(40) });
    const asJson = await handler(post(big, json), context);
    expect(asJson.statusCode).toBe(413);
    expect(JSON.parse(asJson.body)).toMatchObject({ error: 'payload_too_large' });
    const asForm = await handler(post(`text=${'x'.repeat(40)}`, form), context);
    expect(asForm.statusCode).toBe(413);
    expect(asForm.headers?.['Content-Type']).toBe('text/html; charset=utf-8');
    expect(asForm.body).toContain('内容过长');
    expect(asForm.body).toContain('Too long');
    expect(calls).toHaveLength(0);
  });

  it("lets a route take less than the factory's limit", async () => {
    const { handler } = echo(undefined, 16);
    const answer = await handler(post(JSON.stringify({ text: 'x'.repeat(40) }), json), context);
    expect(JSON.parse(answer.body).body).toMatchObject({ ok: false, status: 413 });
  });

  it('negotiates HTML for a browser and JSON for anything else', async () => {
    const { handler } = echo();
    const browser = await handler(
      post('{}', { ...json, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }),
      context,
    );
    expect(JSON.parse(browser.body).html).toBe(true);
    const client = await handler(post('{}', { ...json, accept: '*/*' }), context);
    expect(JSON.parse(client.body).html).toBe(false);
  });

  it('adds the security headers to answers and errors alike, keeping our CSP the only one', async () => {
    const { handler } = echo();
    const ok = await handler(post('{}', json), context);
    expect(ok.headers?.['X-Frame-Options']).toBe('DENY');
    expect(ok.headers?.['Strict-Transport-Security']).toContain('max-age=');
    expect(ok.headers?.['Content-Security-Policy']).toBeUndefined();
    const failing = httpHandler(async () => {
      throw new Error('boom');
    });
    const failed = await failing(post('{}', json), context);
    // The error handler answered first; the security headers were added after it.
    expect(failed.statusCode).toBe(500);
    expect(JSON.parse(failed.body)).toMatchObject({ error: 'internal_error' });
    expect(failed.body).not.toContain('boom');
    expect(failed.headers?.['X-Frame-Options']).toBe('DENY');
  });
});

const message = z.object({ id: z.string() });

function record(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: messageId,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:routing',
    awsRegion: 'us-east-1',
  };
}

const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

describe('the SQS record-handler factory', () => {
  it('reports only the records that failed, asked for a retry or did not parse', async () => {
    const handler = sqsRecordHandler('routing', message, async ({ id }) => {
      if (id === 'throws') throw new Error('failed');
      return id === 'retry' ? 'retry' : 'done';
    });
    const answer = await handler(
      batch(
        record('1', '{"id":"fine"}'),
        record('2', '{"id":"throws"}'),
        record('3', 'not json'),
        record('4', '{"id":"retry"}'),
        record('5', '{"other":1}'),
      ),
      context,
    );
    expect(answer.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([
      '2',
      '3',
      '4',
      '5',
    ]);
  });

  it('reports a batch whose every record failed instead of throwing', async () => {
    const handler = sqsRecordHandler('routing', message, async () => 'retry');
    const answer = await handler(batch(record('1', '{"id":"a"}')), context);
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: '1' }]);
  });

  it('handles the records of a batch concurrently', async () => {
    let release: () => void = () => undefined;
    const second = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handler = sqsRecordHandler('routing', message, async ({ id }) => {
      // The first waits for the second: only concurrent handling finishes both.
      if (id === 'a') await second;
      else release();
      return 'done';
    });
    const answer = await handler(
      batch(record('1', '{"id":"a"}'), record('2', '{"id":"b"}')),
      context,
    );
    expect(answer.batchItemFailures).toEqual([]);
  });
});

describe('error fields in logs', () => {
  it('carry the error’s name and code, never its message', () => {
    const sdkError = Object.assign(new Error('Item for buyer@customer.example failed'), {
      name: 'ConditionalCheckFailedException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(errorFields(sdkError)).toEqual({
      errorName: 'ConditionalCheckFailedException',
      errorCode: '400',
    });
    const nodeError = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1'), {
      code: 'ECONNREFUSED',
    });
    expect(errorFields(nodeError)).toEqual({ errorName: 'Error', errorCode: 'ECONNREFUSED' });
    // A "code" that is prose is not a code.
    const prose = Object.assign(new Error('x'), { code: 'the customer Li Ming said no' });
    expect(errorFields(prose)).toEqual({ errorName: 'Error' });
    expect(JSON.stringify(errorFields(sdkError))).not.toContain('buyer@');
  });
});
