/** Five files a complaint, even when six uploads come back at the same moment. */
import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { listAttachments } from '#functions/data/attachments.ts';
import { recordUpload } from '#functions/services/attachments.ts';
import { s3Client } from '#functions/shared/aws/s3.ts';
import { localAttachmentsBucket } from '#infra/local/host.ts';
import { postJson, useTestHost, validComplaint } from '#test/support/local-host.ts';

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(100, 1),
]);

describe('the file limit', () => {
  const host = useTestHost();

  it('records five of six uploads recorded at once, and refuses the sixth', async () => {
    const response = await postJson(host(), '/complaints', validComplaint());
    const complaint = (await response.json()) as { id: string; reference: string };
    const keys = [];
    for (let file = 1; file <= 6; file++) {
      const key = `incoming/${complaint.id}/${randomUUID()}/photo-${file}.png`;
      await s3Client().send(
        new PutObjectCommand({ Bucket: localAttachmentsBucket, Key: key, Body: png }),
      );
      keys.push(key);
    }
    const outcomes = await Promise.all(keys.map((key) => recordUpload(complaint, key, new Date())));
    const counts = outcomes.reduce<Record<string, number>>((tally, outcome) => {
      const name = outcome.outcome === 'rejected' ? outcome.reason : outcome.outcome;
      tally[name] = (tally[name] ?? 0) + 1;
      return tally;
    }, {});
    expect(counts).toEqual({ recorded: 5, limit: 1 });
    expect(await listAttachments(complaint.id)).toHaveLength(5);
  });
});
