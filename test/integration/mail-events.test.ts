/**
 * SES's events close the crash window between SES accepting a mail and its sender marking
 * it sent: the SES stand-in publishes each accepted mail's `Send` event (SES's format, with
 * the mail's tags) to the mail-event topic, SNS delivers it to the queue, and its consumer
 * marks the marker sent, so a later delivery finds it sent and sends nothing.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { markerTags } from '#functions/contract/mail-events.ts';
import { keys } from '#functions/data/keys.ts';
import { claimMail, getMailMarker } from '#functions/data/mail-markers.ts';
import { sendEmail } from '#functions/email/mailer.ts';
import { sendOnce } from '#functions/services/send-once.ts';
import { functions, mailClaimLeaseSeconds, mailEventGraceSeconds } from '#functions/wiring.ts';
import { readSesJournal } from '#infra/local/stand-ins.ts';
import {
  postJson,
  sentEmails,
  useTestHost,
  validComplaint,
  waitFor,
} from '#test/support/local-host.ts';
import { waitUntilQueuesIdle } from '#test/support/notifications.ts';

const host = useTestHost();
const lease = mailClaimLeaseSeconds(functions.sendNotification);

const mail = (subject: string) => ({ subject, text: 'body', html: '<p>body</p>' });

describe('SES send events', () => {
  it('settle the marker of every mail sent, and cost no write when its sender marked it already', async () => {
    const response = await postJson(host(), '/complaints', validComplaint());
    const { id } = (await response.json()) as { id: string };
    const marker = keys.notification(id, 'received:customer');
    const recorded = await waitFor(async () => {
      const found = await getMailMarker(marker);
      const journal = readSesJournal(host().dataDir);
      return found?.state === 'sent' && journal.published.has(found.sesMessageId ?? '')
        ? found
        : undefined;
    }, 'the acknowledgement sent and its Send event published');
    // Every event handled (the mail-event queue drained).
    await waitUntilQueuesIdle(host());
    const settled = await getMailMarker(marker);
    const journal = readSesJournal(host().dataDir);
    const accepted = journal.accepted.find((entry) => entry.messageId === recorded.sesMessageId);
    expect(accepted?.tags).toEqual(markerTags(marker, expect.any(String)));
    // Either the sender marked it (the event then says nothing new and is not written) or
    // the event came first and marked it sent itself.
    if (settled?.markedSentBy) {
      expect(settled).toMatchObject({ lastEvent: 'Send', markedSentBy: 'ses-event:Send' });
    } else {
      expect(settled).toMatchObject({ state: 'sent', sesMessageId: recorded.sesMessageId });
      expect(settled?.lastEvent).toBeUndefined();
    }
  });

  it('mark a mail sent whose sender died after SES accepted it: no second copy after the lease', async () => {
    const marker = keys.notification(randomUUID(), 'routed:department:qc');
    const subject = `crash window ${randomUUID()}`;
    const claimedAt = new Date();
    // A sender claims the marker and SES accepts its mail; it dies before marking it sent.
    expect(
      await claimMail({
        marker,
        label: 'routed:department:qc',
        to: 'qc@example.com',
        token: 'dead-sender',
        now: claimedAt,
        leaseSeconds: lease,
      }),
    ).toMatchObject({ outcome: 'claimed' });
    await sendEmail({ to: 'qc@example.com', ...mail(subject) }, markerTags(marker, 'dead-sender'));

    const marked = await waitFor(async () => {
      const found = await getMailMarker(marker);
      return found?.state === 'sent' ? found : undefined;
    }, 'the Send event to mark the mail sent');
    expect(marked).toMatchObject({ lastEvent: 'Send', markedSentBy: 'ses-event:Send' });
    expect(marked.claimToken).toBeUndefined();

    // The message is redelivered long after the lease: the marker says sent, nothing goes.
    const redelivered = new Date(claimedAt.getTime() + (lease + 60) * 1000);
    const later = await sendOnce({
      sender: 'sendNotification',
      marker,
      label: 'routed:department:qc',
      now: redelivered,
      clock: () => redelivered,
      to: 'qc@example.com',
      compose: async () => mail(subject),
    });
    expect(later).toEqual({ outcome: 'already_sent' });
    expect((await sentEmails(host())).filter((email) => email.subject === subject)).toHaveLength(1);
  });

  it('leave a claim with no event alone until its lease from the wiring ends, then take it over', async () => {
    const marker = keys.notification(randomUUID(), 'routed:department:qc');
    const subject = `dead before sending ${randomUUID()}`;
    const claimedAt = new Date();
    await claimMail({
      marker,
      label: 'routed:department:qc',
      to: 'qc@example.com',
      token: 'died-before-ses',
      now: claimedAt,
      leaseSeconds: lease,
    });
    const attempt = (afterSeconds: number) => {
      const at = new Date(claimedAt.getTime() + afterSeconds * 1000);
      return sendOnce({
        sender: 'sendNotification',
        marker,
        label: 'routed:department:qc',
        now: at,
        clock: () => at,
        to: 'qc@example.com',
        compose: async () => mail(subject),
      });
    };
    expect(lease).toBe(functions.sendNotification.timeoutSeconds + mailEventGraceSeconds());
    expect(lease).toBeLessThan(functions.startSurveyCampaign.timeoutSeconds);
    expect(await attempt(lease - 1)).toEqual({ outcome: 'retry' });
    expect(await attempt(lease + 1)).toMatchObject({ outcome: 'sent' });
    expect((await sentEmails(host())).filter((email) => email.subject === subject)).toHaveLength(1);
  });
});
