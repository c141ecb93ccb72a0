/** Nothing is lost: a restart keeps every complaint, and a failed enqueue is repaired by the sweep. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { environmentNames } from '../../functions/wiring.ts';
import { postJson, startTestHost, validComplaint, waitFor } from '../support/local-host.ts';
import { storedComplaint } from '../support/table.ts';

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
    const realQueueUrl = process.env[queueVariable] as string;
    try {
      process.env[queueVariable] = `${realQueueUrl}-unreachable`;
      const response = await postJson(host, '/complaints', validComplaint());
      expect(response.status).toBe(202);
      const { id } = (await response.json()) as { id: string };
      const stranded = await storedComplaint(id);
      expect(stranded?.status).toBe('received');
      expect(stranded?.enqueuedAt).toBeUndefined();
      expect(stranded?.dueKey).toBe('DUE#enqueue');

      // While the queue is still away the sweep fails loudly and leaves the complaint waiting.
      await expect(host.fire('enqueue-sweep')).rejects.toThrow(/could not be enqueued/);
      expect((await storedComplaint(id))?.enqueuedAt).toBeUndefined();

      process.env[queueVariable] = realQueueUrl;
      const result = (await host.fire('enqueue-sweep')) as { resent: number; failed: number };
      expect(result.failed).toBe(0);
      expect(result.resent).toBeGreaterThanOrEqual(1);
      const repaired = await storedComplaint(id);
      expect(repaired?.enqueuedAt).toEqual(expect.any(String));
      // Out of the sweep's index (routing may since have put it among the open complaints).
      expect(repaired?.dueKey).not.toBe('DUE#enqueue');

      // The swept message really reached routing.
      await waitFor(
        async () => ((await storedComplaint(id))?.status === 'routed' ? true : undefined),
        'routing of the swept complaint',
      );

      // A second sweep finds nothing left to do.
      expect(await host.fire('enqueue-sweep')).toEqual({ resent: 0, failed: 0 });
    } finally {
      process.env[queueVariable] = realQueueUrl;
      await host.stop();
    }
  });
});
