/**
 * What SES refuses: a permanent rejection is recorded on the complaint and not retried; a
 * failure that never clears ends in the dead-letter queue; so does a message that is not one.
 */
import { describe, expect, it } from 'vitest';
import { keys } from '#functions/data/keys.ts';
import { getMailMarker } from '#functions/data/mail-markers.ts';
import { queues } from '#functions/wiring.ts';
import { postJson, useTestHost, validComplaint, waitFor } from '#test/support/local-host.ts';
import {
  countByRecipient,
  deadLetterQueueUrl,
  emailsAbout,
  historyEvents,
  peekMessages,
  queueDepth,
  sendRawMessage,
  waitUntilQueuesIdle,
} from '#test/support/notifications.ts';
import { storedComplaint } from '#test/support/table.ts';

const host = useTestHost({
  // Short, so that retries run out quickly.
  visibilityTimeoutSeconds: 1,
  sesFaults: [
    { recipients: /@rejected\.invalid$/, errorType: 'MessageRejected', status: 400 },
    { recipients: /@throttled\.invalid$/, errorType: 'TooManyRequestsException', status: 429 },
  ],
});

async function postDelivery(email: string) {
  const response = await postJson(
    host(),
    '/complaints',
    validComplaint({
      customer: { ...validComplaint().customer, email },
      category: 'delivery',
      subject: '交货延迟',
      description: '合同约定的交货期已过。',
      claim: { type: 'none' },
    }),
  );
  expect(response.status).toBe(202);
  return (await response.json()) as { id: string; reference: string };
}

describe('SES refusing an address for good', () => {
  it('records it on the complaint, does not retry it, and still alerts the departments', async () => {
    const { id, reference } = await postDelivery('nobody@rejected.invalid');
    await waitFor(
      async () => ((await emailsAbout(host(), reference)).length >= 2 ? true : undefined),
      'the department alerts',
    );
    await waitFor(
      async () => ((await storedComplaint(id))?.undeliveredNotifications ? true : undefined),
      'the refusal recorded on the complaint',
    );
    await waitUntilQueuesIdle(host());

    expect(countByRecipient(await emailsAbout(host(), reference))).toEqual({
      'gm@example.com': 1,
      'sales@example.com': 1,
    });
    expect((await storedComplaint(id))?.undeliveredNotifications).toEqual(['received:customer']);
    expect(await getMailMarker(keys.notification(id, 'received:customer'))).toMatchObject({
      state: 'rejected',
      attempts: 1,
      failure: expect.stringMatching(/^MessageRejected/),
    });
    const failures = (await historyEvents(id)).filter(
      (event) => event.type === 'notification_failed',
    );
    expect(failures).toEqual([
      expect.objectContaining({
        details: { notification: 'received:customer', reason: 'MessageRejected' },
      }),
    ]);

    // Delivered again, the acknowledgement is neither sent nor recorded a second time.
    await sendRawMessage(host(), 'notification', {
      complaintId: id,
      event: 'received',
      recipient: { kind: 'customer' },
    });
    await waitUntilQueuesIdle(host());
    expect(await emailsAbout(host(), reference)).toHaveLength(2);
    // The notification_failed item only (routing's entry is its decision, on the complaint).
    expect(await historyEvents(id)).toHaveLength(1);
    expect((await storedComplaint(id))?.undeliveredNotifications).toEqual(['received:customer']);
    expect(await queueDepth(await deadLetterQueueUrl(host(), 'notification'))).toBe(0);
  });
});

describe('an email that keeps failing', () => {
  it('is retried up to maxReceiveCount, then lands in the dead-letter queue', async () => {
    const { id, reference } = await postDelivery('always@throttled.invalid');
    const deadLetters = await deadLetterQueueUrl(host(), 'notification');
    await waitFor(
      async () => ((await queueDepth(deadLetters)) >= 1 ? true : undefined),
      'the acknowledgement in the dead-letter queue',
      60_000,
    );
    await waitUntilQueuesIdle(host());

    const bodies = (await peekMessages(deadLetters)).map((body) => JSON.parse(body) as unknown);
    expect(bodies).toEqual([
      { complaintId: id, event: 'received', recipient: { kind: 'customer' } },
    ]);
    // The last attempt may still be finishing (the queue moved the message on meanwhile).
    const marker = await waitFor(async () => {
      const current = await getMailMarker(keys.notification(id, 'received:customer'));
      return current?.state === 'claimed' ? undefined : current;
    }, 'the last attempt to give its claim back');
    expect(marker).toMatchObject({ state: 'released', lastError: 'TooManyRequestsException' });
    expect(marker?.attempts).toBeGreaterThanOrEqual(2);
    expect(marker?.attempts).toBeLessThanOrEqual(queues.notification.maxReceiveCount);
    // Not a refusal: nothing is recorded as undeliverable, and the departments were told once.
    expect((await storedComplaint(id))?.undeliveredNotifications).toBeUndefined();
    expect(countByRecipient(await emailsAbout(host(), reference))).toEqual({
      'gm@example.com': 1,
      'sales@example.com': 1,
    });
  });

  it('sends a message that is not a valid one to the dead-letter queue', async () => {
    const deadLetters = await deadLetterQueueUrl(host(), 'routing');
    await sendRawMessage(host(), 'routing', 'not json at all');
    await sendRawMessage(host(), 'routing', { complaintId: '' });
    await waitFor(
      async () => ((await queueDepth(deadLetters)) >= 2 ? true : undefined),
      'both messages in the routing dead-letter queue',
      60_000,
    );
    expect((await peekMessages(deadLetters)).sort()).toEqual(
      ['not json at all', JSON.stringify({ complaintId: '' })].sort(),
    );
  });
});
