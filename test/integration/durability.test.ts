/** Nothing is lost: a restart keeps every complaint, and a failed enqueue is repaired by the sweep. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { keys } from '#functions/data/keys.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { environmentNames } from '#functions/wiring.ts';
import { localTableName } from '#infra/local/host.ts';
import { postJson, startTestHost, validComplaint, waitFor } from '#test/support/local-host.ts';
import { queueDepth, waitUntilQueuesIdle } from '#test/support/notifications.ts';
import { storedComplaint } from '#test/support/table.ts';

const dataDir = await mkdtemp(join(tmpdir(), 'aftercare-durability-'));
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('durability', () => {
  it('keeps complaints and the reference sequence across a restart', async () => {
    const first = await startTestHost({ dataDir });
    const response = await postJson(first, '/complaints', validComplaint());
    const { reference } = (await response.json()) as { reference: string };
    await first.stop();

    const second = await startTestHost({ dataDir });
    try {
      const email = validComplaint().customer.email;
      const status = await fetch(`${second.url}/complaints/${reference}?email=${email}`);
      expect(status.status).toBe(200);
      const next = (await (await postJson(second, '/complaints', validComplaint())).json()) as {
        reference: string;
      };
      expect(Number(next.reference.split('-')[2])).toBe(Number(reference.split('-')[2]) + 1);
    } finally {
      await second.stop();
    }
  });

  it('stores the complaint when the routing queue cannot be reached, and the sweep enqueues it', async () => {
    const host = await startTestHost({ dataDir, settings: { ENQUEUE_GRACE_SECONDS: '0' } });
    const queueVariable = environmentNames.queueUrl('routing');
    try {
      await host.reconfigure({ [queueVariable]: `${host.queueUrls.routing}-unreachable` });
      const response = await postJson(host, '/complaints', validComplaint());
      expect(response.status).toBe(202);
      const { id } = (await response.json()) as { id: string };
      const stranded = await storedComplaint(id);
      expect(stranded?.status).toBe('received');
      expect(stranded?.enqueuedAt).toBeUndefined();
      // No entry in any index waits for the sweep: it walks the year's references.
      expect(stranded?.dueKey).toBeUndefined();

      // While the queue is still away the sweep fails loudly and leaves the complaint waiting.
      await expect(host.fire('enqueue-sweep')).rejects.toThrow(/could not be enqueued/);
      expect((await storedComplaint(id))?.enqueuedAt).toBeUndefined();

      await host.reconfigure({ [queueVariable]: undefined });
      const result = (await host.fire('enqueue-sweep')) as { resent: number; failed: number };
      expect(result.failed).toBe(0);
      expect(result.resent).toBeGreaterThanOrEqual(1);
      const repaired = await storedComplaint(id);
      expect(repaired?.enqueuedAt).toEqual(expect.any(String));

      // The swept message really reached routing.
      await waitFor(
        async () => ((await storedComplaint(id))?.status === 'routed' ? true : undefined),
        'routing of the swept complaint',
      );

      // A second sweep finds nothing left to do.
      expect(await host.fire('enqueue-sweep')).toMatchObject({ resent: 0, failed: 0, stale: 0 });
    } finally {
      await host.stop();
    }
  });

  it('skips (and repairs) an index entry its item contradicts, once, without re-sending it', async () => {
    const host = await startTestHost({ dataDir, settings: { ENQUEUE_GRACE_SECONDS: '0' } });
    try {
      const response = await postJson(host, '/complaints', validComplaint());
      const { id } = (await response.json()) as { id: string };
      await waitFor(
        async () => ((await storedComplaint(id))?.status === 'routed' ? true : undefined),
        'routing of the complaint',
      );
      await waitUntilQueuesIdle(host);
      // What a crash or an eventually consistent index can show the sweep: the entry says
      // "waiting to be queued" while the item says it was queued (and routed) long ago.
      const routed = await storedComplaint(id);
      await documentClient().send(
        new UpdateCommand({
          TableName: localTableName,
          Key: keys.complaint(id),
          UpdateExpression: 'SET dueKey = :key, dueAt = :at',
          ExpressionAttributeValues: { ':key': 'DUE#enqueue', ':at': String(routed?.createdAt) },
        }),
      );

      const swept = await host.fire('enqueue-sweep');
      expect(swept).toMatchObject({ resent: 0, failed: 0, stale: 1, repaired: 1 });
      expect(await queueDepth(host.queueUrls.routing)).toBe(0);
      expect((await storedComplaint(id))?.dueKey).toBeUndefined();
      // Repaired: the next run does not meet it again.
      expect(await host.fire('enqueue-sweep')).toMatchObject({ resent: 0, stale: 0 });
    } finally {
      await host.stop();
    }
  });
});
