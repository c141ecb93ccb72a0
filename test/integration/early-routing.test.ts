/**
 * Intake sends the routing message beside the complaint's put, so routing may take the
 * message before the complaint is there, or for a put that failed. On the real stand-ins:
 * a message that comes first is routed, once, when the complaint appears, within the same
 * delivery; one whose complaint never appears is dropped once intake could no longer write
 * it, not dead-lettered. The routing queue's visibility timeout is long here (120 s), so a
 * message handed back to the queue would not come again within these tests.
 */
import { randomUUID } from 'node:crypto';
import { createServer, request as forward } from 'node:http';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import {
  draftFromSubmission,
  parseComplaintSubmission,
} from '#functions/contract/complaint-submission.ts';
import { createComplaint } from '#functions/data/complaints.ts';
import { clientOverrides, localEndpointVariables } from '#functions/shared/aws/local-endpoints.ts';
import { closeServer, listen } from '#infra/local/servers.ts';
import { useTestHost, validComplaint, waitFor } from '#test/support/local-host.ts';
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

const host = useTestHost({ visibilityTimeoutSeconds: 120 });

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
 * partition): routing's reads of the complaint, seen from outside.
 */
async function countingProxy(target: string, text: string) {
  let seen = 0;
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      if (body.toString('utf8').includes(text)) seen++;
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
