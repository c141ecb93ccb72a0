/**
 * SES away for a while: the notifications wait in their queue and all go out once it is
 * back, none twice; a claim left behind by a sender that died is taken over, a live one is not.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '#functions/data/keys.ts';
import { claimMail, getMailMarker, markSent } from '#functions/data/mail-markers.ts';
import { sendOnce } from '#functions/services/send-once.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { localTableName } from '#infra/local/host.ts';
import { postJson, useTestHost, validComplaint, waitFor } from '#test/support/local-host.ts';
import { countByRecipient, emailsAbout, waitUntilQueuesIdle } from '#test/support/notifications.ts';

const host = useTestHost();

describe('an SES outage', () => {
  it('sends every email once SES is back, none twice, taking over a dead sender’s claim', async () => {
    await host().stopSes();
    let sesUp = false;
    try {
      const response = await postJson(host(), '/complaints', validComplaint());
      const { id, reference } = (await response.json()) as { id: string; reference: string };

      // Sending has been tried and has failed, for the customer and for the GM.
      await waitFor(async () => {
        const ack = await getMailMarker(keys.notification(id, 'received:customer'));
        const gm = await getMailMarker(keys.notification(id, 'routed:department:gm'));
        return ack?.state === 'released' && gm?.state === 'released' ? true : undefined;
      }, 'failed attempts while SES is down');

      // A sender that died between claiming the GM's alert and sending it left this behind.
      await documentClient().send(
        new PutCommand({
          TableName: localTableName,
          Item: {
            ...keys.notification(id, 'routed:department:gm'),
            complaintId: id,
            notification: 'routed:department:gm',
            state: 'claimed',
            to: 'gm@example.com',
            claimToken: 'token-of-a-dead-sender',
            claimedAt: new Date(Date.now() - 3600_000).toISOString(),
            attempts: 1,
          },
        }),
      );

      await host().startSes();
      sesUp = true;
      await waitFor(
        async () => ((await emailsAbout(host(), reference)).length >= 6 ? true : undefined),
        'all six emails',
        30_000,
      );
      await waitUntilQueuesIdle(host());

      expect(countByRecipient(await emailsAbout(host(), reference))).toEqual({
        [validComplaint().customer.email]: 1,
        'gm@example.com': 1,
        'sales@example.com': 1,
        'production_vp@example.com': 1,
        'qc@example.com': 1,
        'outlet-south-china@example.com': 1,
      });
      const ack = await getMailMarker(keys.notification(id, 'received:customer'));
      expect(ack).toMatchObject({ state: 'sent', sesMessageId: expect.any(String) });
      expect(ack?.attempts).toBeGreaterThanOrEqual(2);
      expect(ack?.claimToken).toBeUndefined();
      expect(await getMailMarker(keys.notification(id, 'routed:department:gm'))).toMatchObject({
        state: 'sent',
      });
    } finally {
      if (!sesUp) await host().startSes();
    }
  });
});

describe('mail claims', () => {
  it('leave a live claim alone and take over a stale one', async () => {
    const complaintId = randomUUID();
    const notification = 'routed:department:qc';
    const start = new Date();
    const claim = (token: string, afterSeconds: number) =>
      claimMail({
        marker: keys.notification(complaintId, notification),
        label: notification,
        to: 'qc@example.com',
        token,
        now: new Date(start.getTime() + afterSeconds * 1000),
        leaseSeconds: 120,
      });

    expect(await claim('first', 0)).toEqual({ outcome: 'claimed', attempts: 1 });
    expect(await claim('second', 60)).toEqual({
      outcome: 'busy',
      claimedAt: start.toISOString(),
      claimToken: 'first',
    });
    expect(await claim('third', 121)).toEqual({ outcome: 'claimed', attempts: 2 });
    // The first sender lost its claim: it cannot mark the email sent.
    expect(
      await markSent(keys.notification(complaintId, notification), 'first', 'ses-1', start),
    ).toBe(false);
    expect(
      await markSent(keys.notification(complaintId, notification), 'third', 'ses-3', start),
    ).toBe(true);
    expect(await claim('fourth', 1000)).toEqual({ outcome: 'sent' });
  });
  /** A second delivery of the mail, as a redelivered copy of its message would make it. */
  const deliverAgain = (complaintId: string, notification: string) =>
    sendOnce({
      marker: keys.notification(complaintId, notification),
      sender: 'sendNotification',
      label: notification,
      now: new Date(),
      clock: () => new Date(),
      to: 'qc@example.com',
      compose: () => Promise.reject(new Error('a second delivery must not compose the mail')),
    });

  it('wait for a delivery that is sending the mail right now, instead of coming back later', async () => {
    const complaintId = randomUUID();
    const notification = 'routed:department:qc';
    const marker = keys.notification(complaintId, notification);
    const claimedAt = new Date();
    await claimMail({
      marker,
      label: notification,
      to: 'qc@example.com',
      token: 'running',
      now: claimedAt,
      leaseSeconds: 120,
    });
    const second = deliverAgain(complaintId, notification);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await markSent(marker, 'running', 'ses-running', claimedAt)).toBe(true);
    expect(await second).toEqual({ outcome: 'already_sent' });
  });

  it('do not wait for a claim older than its sender may run: it is left to go stale', async () => {
    const complaintId = randomUUID();
    const notification = 'routed:department:qc';
    const marker = keys.notification(complaintId, notification);
    // Claimed 60 s ago: past sendNotification's 30 s timeout, inside its 120 s lease.
    const claimedAt = new Date(Date.now() - 60_000);
    await claimMail({
      marker,
      label: notification,
      to: 'qc@example.com',
      token: 'dead',
      now: claimedAt,
      leaseSeconds: 120,
    });
    const second = deliverAgain(complaintId, notification);
    // Settled by SES's event 2 s later: a delivery that waited would see it sent.
    const settled = new Promise((resolve) => setTimeout(resolve, 2000)).then(() =>
      markSent(marker, 'dead', 'ses-dead', claimedAt),
    );
    expect(await second).toEqual({ outcome: 'retry' });
    expect(await settled).toBe(true);
  });
});
