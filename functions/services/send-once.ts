/**
 * One email, exactly once, behind a marker (see `data/mail-markers.ts`): claim, send through
 * SES, mark sent. SES errors decide what follows: a transient one gives the claim back and
 * asks for a retry (the queue redelivers, and dead-letters after maxReceiveCount); a
 * permanent one is recorded on the marker and reported, never retried.
 */
import { randomUUID } from 'node:crypto';
import type { ItemKey } from '../data/keys.ts';
import { claimMail, markRejected, markSent, releaseClaim } from '../data/mail-markers.ts';
import { classifySendFailure, type OutgoingEmail, sendEmail } from '../email/mailer.ts';
import { errorFields, log } from '../shared/log.ts';

/** Longer than any Lambda function may run (900 s), so only a dead sender's claim is ever taken over. */
export const claimLeaseSeconds = 960;

export type SendOnceOutcome =
  | { outcome: 'sent'; sesMessageId: string }
  | { outcome: 'already_sent' }
  /** `fresh`: this call is the one that saw SES refuse it. */
  | { outcome: 'rejected'; failedAt: string; failure: string; fresh: boolean }
  | { outcome: 'retry' };

export interface SendOnceRequest {
  marker: ItemKey;
  /** What the mail is, for the marker and the logs: no personal data. */
  label: string;
  now: Date;
  to: string;
  /** Builds the email; called only once the claim is ours and a send will really be attempted. */
  compose: () => Promise<Omit<OutgoingEmail, 'to'>>;
  attributes?: Record<string, string>;
}

export async function sendOnce(request: SendOnceRequest): Promise<SendOnceOutcome> {
  const token = randomUUID();
  const claim = await claimMail({
    marker: request.marker,
    label: request.label,
    to: request.to,
    token,
    now: request.now,
    leaseSeconds: claimLeaseSeconds,
    attributes: request.attributes,
  });
  const fields = { notification: request.label };
  switch (claim.outcome) {
    case 'sent':
      return { outcome: 'already_sent' };
    case 'rejected':
      return {
        outcome: 'rejected',
        failedAt: claim.failedAt,
        failure: claim.failure,
        fresh: false,
      };
    case 'busy':
      log.info('mail being sent by another delivery; retry later', fields);
      return { outcome: 'retry' };
    case 'claimed':
      break;
  }
  let sesMessageId: string;
  try {
    sesMessageId = await sendEmail({ to: request.to, ...(await request.compose()) });
  } catch (error) {
    // SES messages may quote the address: only the error's name is logged.
    const errorName = error instanceof Error ? error.name : typeof error;
    if (classifySendFailure(error) === 'permanent') {
      const failedAt = new Date().toISOString();
      const failure = `${errorName}: ${error instanceof Error ? error.message : ''}`.slice(0, 500);
      const fresh = await markRejected(request.marker, token, failure, new Date(failedAt));
      log.warn('mail refused by SES; recorded, not retried', { ...fields, errorName });
      return { outcome: 'rejected', failedAt, failure, fresh };
    }
    await releaseClaim(request.marker, token, errorName);
    log.warn('mail not sent; it will be retried', { ...fields, count: claim.attempts, errorName });
    return { outcome: 'retry' };
  }
  // SES has the mail: from here nothing may give the claim back, or a retry would send again.
  try {
    if (!(await markSent(request.marker, token, sesMessageId, new Date()))) {
      log.warn('claim was taken over while sending: the email may go twice', fields);
    }
  } catch (error) {
    log.error('mail sent but not marked sent; its claim stays held', {
      ...fields,
      ...errorFields(error),
    });
  }
  return { outcome: 'sent', sesMessageId };
}
