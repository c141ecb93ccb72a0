/**
 * DynamoDB failing in the middle of a request: intake's DynamoDB calls pass through a proxy
 * that lets the first N through and fails every later one (as an outage beginning mid-request
 * would), for every N until a request gets through whole. Each failure answers 5xx (or 409 to
 * a retry while the first request's claim is live); the client's retry with the same key then
 * completes with one complaint, routed once, acknowledged once: nothing half-written stays.
 */
import { createServer, request as forward, type Server } from 'node:http';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '#functions/data/keys.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { localEndpointVariables } from '#functions/shared/aws/local-endpoints.ts';
import { localTableName } from '#infra/local/host.ts';
import { listen } from '#infra/local/servers.ts';
import { postJson, sentEmails, useTestHost, validComplaint } from '#test/support/local-host.ts';
import { countByRecipient } from '#test/support/notifications.ts';
import { storedComplaints } from '#test/support/table.ts';

const host = useTestHost();

/** A proxy in front of dynalite that fails every request after the first `passing`. */
async function failingProxy(target: string) {
  let passing = Number.POSITIVE_INFINITY;
  let seen = 0;
  const server: Server = createServer((incoming, outgoing) => {
    seen++;
    if (seen > passing) {
      incoming.resume();
      outgoing.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      outgoing.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
          message: 'The proxy lets nothing through',
        }),
      );
      return;
    }
    const url = new URL(incoming.url ?? '/', target);
    const upstream = forward(
      url,
      { method: incoming.method, headers: incoming.headers },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  const port = await listen(server, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}`,
    /** From now on, let `count` requests through, then fail every one. */
    failAfter(count: number) {
      seen = 0;
      passing = count;
    },
    heal() {
      passing = Number.POSITIVE_INFINITY;
    },
    requests: () => seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The claim's owner is presumed dead once its lease (30 s) is over: let that time pass. */
async function expireClaim(key: string) {
  await documentClient().send(
    new UpdateCommand({
      TableName: localTableName,
      Key: keys.idempotency('submit-complaint', key),
      UpdateExpression: 'SET claimedAt = :past',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':past': 0 },
    }),
  );
}

describe('DynamoDB failing in the middle of a request', () => {
  it('answers 5xx, and the retry completes with one complaint, routed and acknowledged once', async () => {
    const proxy = await failingProxy(host().endpoints.dynamodb);
    try {
      await host().reconfigure({ [localEndpointVariables.dynamodb]: proxy.url }, [
        'submitComplaint',
      ]);
      const customers: string[] = [];
      for (let passing = 0; ; passing++) {
        const email = `outage-${passing}@customer.example`;
        const subject = `Outage after ${passing} requests`;
        const complaint = validComplaint({
          subject,
          customer: { ...validComplaint().customer, email },
        });
        const key = `outage-${passing}`;
        const headers = { 'idempotency-key': key };
        proxy.failAfter(passing);
        const first = await postJson(host(), '/complaints', complaint, headers);
        customers.push(email);
        if (first.status === 202) break; // the whole request fit in `passing` requests
        expect(first.status).toBeGreaterThanOrEqual(500);

        proxy.heal();
        let retry = await postJson(host(), '/complaints', complaint, headers);
        if (retry.status === 409) {
          // The first request's claim is live: the client waits; its lease runs out.
          expect(retry.headers.get('retry-after')).toBe('1');
          await expireClaim(key);
          retry = await postJson(host(), '/complaints', complaint, headers);
        }
        expect(retry.status).toBe(202);
        const { reference } = (await retry.json()) as { reference: string };
        const stored = (await storedComplaints()).filter((item) => item.subject === subject);
        expect(stored.map((item) => item.reference)).toEqual([reference]);
        // A retry after that answers the same complaint.
        const again = await postJson(host(), '/complaints', complaint, headers);
        expect(((await again.json()) as { reference: string }).reference).toBe(reference);
      }
      // Intake makes several DynamoDB requests; each was the first to fail once.
      expect(customers.length).toBeGreaterThanOrEqual(4);

      await host().drained();
      const stored = (await storedComplaints()).filter((item) =>
        String(item.subject).startsWith('Outage after'),
      );
      expect(stored.map((item) => item.status)).toEqual(stored.map(() => 'routed'));
      const acknowledgements = countByRecipient(
        (await sentEmails(host())).filter((mail) => mail.destination.to[0]?.startsWith('outage-')),
      );
      expect(acknowledgements).toEqual(Object.fromEntries(customers.map((email) => [email, 1])));
    } finally {
      await host().reconfigure({ [localEndpointVariables.dynamodb]: undefined });
      await proxy.close();
    }
  });
});
