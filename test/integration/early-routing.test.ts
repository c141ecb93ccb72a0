/**
 * Intake sends the routing message beside the complaint's put, so routing may take the
 * message before the complaint is there, or for a put that failed. On the real stand-ins:
 * a message that comes first is routed, once, when the complaint appears, within the same
 * delivery; one whose complaint never appears is dropped once intake could no longer write
 * it, not dead-lettered. The routing queue's visibility timeout is long here (120 s), so a
 * routing message handed back to the queue would not come again within these tests (the
 * other queues keep the test host's short one).
 */
import { randomUUID } from 'node:crypto';
import { createServer, request as forward } from 'node:http';
import {
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  draftFromSubmission,
  parseComplaintSubmission,
} from '#functions/contract/complaint-submission.ts';
import { createComplaint } from '#functions/data/complaints.ts';
import { complaintIdForKey } from '#functions/services/intake.ts';
import { clientOverrides, localEndpointVariables } from '#functions/shared/aws/local-endpoints.ts';
import { closeServer, listen } from '#infra/local/servers.ts';
import {
  postJson,
  sentEmails,
  useTestHost,
  validComplaint,
  waitFor,
} from '#test/support/local-host.ts';
import {
  complaintPartition,
  countByRecipient,
  deadLetterQueueUrl,
  emailsAbout,
  peekMessages,
  queueDepth,
  sendRawMessage,
} from '#test/support/notifications.ts';
import { storedComplaint } from '#test/support/table.ts';

const host = useTestHost();

beforeAll(async () => {
  const sqs = new SQSClient(clientOverrides('sqs'));
  try {
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: host().queueUrls.routing,
        Attributes: { VisibilityTimeout: '120' },
      }),
    );
  } finally {
    sqs.destroy();
  }
});

/** Messages received by a consumer and not yet deleted. */
async function inFlight(queueUrl: string): Promise<number> {
  const sqs = new SQSClient(clientOverrides('sqs'));
  try {
    const result = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return Number(result.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  } finally {
    sqs.destroy();
  }
}

/**
 * A proxy in front of dynalite that counts the requests naming `text` (a complaint's
 * partition), seen from outside, and fails those `refuse` picks (by operation and body) as
 * DynamoDB fails on an internal error.
 */
async function countingProxy(
  target: string,
  text: string,
  refuse: (operation: string, body: string) => boolean = () => false,
) {
  let seen = 0;
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const requestText = body.toString('utf8');
      if (requestText.includes(text)) seen++;
      if (refuse(String(incoming.headers['x-amz-target'] ?? ''), requestText)) {
        outgoing.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        outgoing.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
            message: 'The proxy refuses this one',
          }),
        );
        return;
      }
      const upstream = forward(
        new URL(incoming.url ?? '/', target),
        { method: incoming.method, headers: incoming.headers },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        },
      );
      upstream.on('error', () => outgoing.destroy());
      upstream.end(body);
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, seen: () => seen, close: () => closeServer(server) };
}

async function routingDeadLetters(): Promise<string[]> {
  return peekMessages(await deadLetterQueueUrl(host(), 'routing'));
}

describe('a routing message that comes before its complaint', () => {
  it('is routed once when the complaint appears, in the same delivery, a duplicate too', async () => {
    const parsed = parseComplaintSubmission(validComplaint({ category: 'delivery' }));
    if (!parsed.ok) throw new Error('the test complaint is invalid');
    const id = randomUUID();
    const reference = `FB-2026-${String(800_000 + Math.floor(Math.random() * 99_999))}`;
    // Routing's reads go through a proxy that counts those of this complaint.
    const proxy = await countingProxy(host().endpoints.dynamodb, `COMPLAINT#${id}`);
    try {
      await host().reconfigure({ [localEndpointVariables.dynamodb]: proxy.url }, [
        'routeComplaint',
      ]);
      // The message, and a duplicate of it (a retry's), before any complaint.
      await sendRawMessage(host(), 'routing', { complaintId: id });
      await sendRawMessage(host(), 'routing', { complaintId: id });
      await waitFor(
        async () => ((await inFlight(host().queueUrls.routing)) === 2 ? true : undefined),
        'routing to take both messages',
      );
      // Routing has looked for the complaint, found nothing, and looks again.
      await waitFor(async () => (proxy.seen() >= 2 ? true : undefined), 'routing to look');
      await createComplaint(
        { id, draft: draftFromSubmission(parsed.value), createdAt: new Date().toISOString() },
        Promise.resolve({ reference, acknowledgementWithheld: false }),
      );
      await waitFor(
        async () => ((await emailsAbout(host(), reference)).length >= 3 ? true : undefined),
        'the acknowledgement and the alerts',
      );
      await host().drained();
    } finally {
      await host().reconfigure({ [localEndpointVariables.dynamodb]: undefined }, [
        'routeComplaint',
      ]);
      await proxy.close();
    }

    expect((await storedComplaint(id))?.status).toBe('routed');
    expect(countByRecipient(await emailsAbout(host(), reference))).toEqual({
      [validComplaint().customer.email]: 1,
      'gm@example.com': 1,
      'sales@example.com': 1,
    });
    const markers = (await complaintPartition(id)).filter((item) =>
      String(item.sk).startsWith('NOTIFICATION#'),
    );
    expect(markers).toHaveLength(3);
    for (const marker of markers) expect(marker).toMatchObject({ state: 'sent', attempts: 1 });
    expect(await queueDepth(host().queueUrls.routing)).toBe(0);
    expect(await routingDeadLetters()).toEqual([]);
  });
});

describe('a routing message whose complaint never appears (its put failed)', () => {
  it('is dropped once intake could no longer write it, not dead-lettered', async () => {
    const id = randomUUID();
    await sendRawMessage(host(), 'routing', { complaintId: id });
    await waitFor(
      async () => ((await inFlight(host().queueUrls.routing)) === 1 ? true : undefined),
      'routing to take the message',
    );
    // Deleted after intake's timeout and the margin: drained, with nothing left behind.
    await host().drained();
    expect(await queueDepth(host().queueUrls.routing)).toBe(0);
    expect(await routingDeadLetters()).toEqual([]);
    expect(await complaintPartition(id)).toEqual([]);
  });
});

describe('a complaint whose put fails after its routing message was sent', () => {
  it('answers an error, and the message routes nothing and is dropped, not dead-lettered', async () => {
    const key = randomUUID();
    const id = complaintIdForKey(key);
    const email = `put-fails-${key.slice(0, 8)}@customer.example`;
    // Intake's calls go through a proxy that fails only the complaint item's put.
    const proxy = await countingProxy(
      host().endpoints.dynamodb,
      `COMPLAINT#${id}`,
      (operation, body) =>
        operation.endsWith('.PutItem') &&
        body.includes(`COMPLAINT#${id}`) &&
        body.includes('"sk":{"S":"COMPLAINT"}'),
    );
    try {
      await host().reconfigure({ [localEndpointVariables.dynamodb]: proxy.url }, [
        'submitComplaint',
      ]);
      const response = await postJson(
        host(),
        '/complaints',
        validComplaint({ customer: { ...validComplaint().customer, email } }),
        { 'Idempotency-Key': key },
      );
      expect(response.status).toBeGreaterThanOrEqual(500);
      // The routing message was sent beside the put: routing takes it, and waits for nothing.
      await host().drained();
    } finally {
      await host().reconfigure({ [localEndpointVariables.dynamodb]: undefined }, [
        'submitComplaint',
      ]);
      await proxy.close();
    }
    // Nothing stored (the description was taken back), nothing routed, nothing mailed.
    expect(await complaintPartition(id)).toEqual([]);
    expect(
      (await sentEmails(host())).filter((mail) => mail.destination.to.includes(email)),
    ).toEqual([]);
    expect(await queueDepth(host().queueUrls.routing)).toBe(0);
    expect(await routingDeadLetters()).toEqual([]);
  });
});
