/**
 * One email, exactly once, behind a marker (see `data/mail-markers.ts`): claim, send through
 * SES with tags naming the marker and the claim, mark sent. SES's send event marks it sent
 * too, so a sender that dies between SES accepting and its own mark leaves no claim to take
 * over. SES errors decide what follows: a transient one that SES answered gives the claim
 * back and asks for a retry (the queue redelivers, and dead-letters after maxReceiveCount);
 * a permanent one is recorded on the marker and reported, never retried. When the outcome is
 * unknown (the connection broke after the request went out), the claim is kept: SES's event
 * settles it, or it goes stale after the lease and only then is the mail sent again.
 */
import { randomUUID } from 'node:crypto';
import { markerTags } from '#functions/contract/mail-events.ts';
import type { ItemKey } from '#functions/data/keys.ts';
import {
  type ClaimResult,
  claimMail,
  getMailMarker,
  markRejected,
  markSent,
  releaseClaim,
} from '#functions/data/mail-markers.ts';
import { classifySendFailure, type OutgoingEmail, sendEmail } from '#functions/email/mailer.ts';
import type { Clock } from '#functions/shared/clock.ts';
import { numberSetting } from '#functions/shared/config.ts';
import { errorFields, log } from '#functions/shared/log.ts';
import { type FunctionName, functions, mailClaimLeaseSeconds } from '#functions/wiring.ts';

/**
 * Test hook for the crash test (`npm run test:crash`): after SES has accepted this many
 * mails, the process is killed outright, inside the window between SES accepting a mail and
 * the mark. Never set outside that test.
 */
const crashAfterAcceptedVariable = 'AFTERCARE_CRASH_AFTER_SES_ACCEPTS';
let acceptedSoFar = 0;

export type SendOnceOutcome =
  | { outcome: 'sent'; sesMessageId: string }
  | { outcome: 'already_sent' }
  /** `fresh`: this call is the one that saw SES refuse it. */
  | { outcome: 'rejected'; failedAt: string; failure: string; fresh: boolean }
  | { outcome: 'retry' };

export interface SendOnceRequest {
  marker: ItemKey;
  /** The function that sends: its timeout from the wiring sets the claim's lease. */
  sender: FunctionName;
  /** What the mail is, for the marker and the logs: no personal data. */
  label: string;
  now: Date;
  /** Stamps SES's answer: it may come seconds after `now` (pacing, a slow SES). */
  clock: Clock;
  to: string;
  /** Builds the email; called only once the claim is ours and a send will really be attempted. */
  compose: () => Promise<Omit<OutgoingEmail, 'to'>>;
  attributes?: Record<string, string>;
  /** The digest of the status link the mail carries, kept on its marker. */
  statusAccessDigest?: string;
  /**
   * The sender's own record that the mail went, run beside the marker's mark once SES has it
   * (one round trip, not two); it must be idempotent (a retry that finds the mail sent does
   * it again). Its error is thrown once the mark is done.
   */
  accepted?: () => Promise<void>;
  /**
   * Called as soon as SES has answered the send (or the call failed), before any bookkeeping:
   * a pacer's turn ends there, not a mark's round trip later.
   */
  answered?: () => void;
}

export async function sendOnce(request: SendOnceRequest): Promise<SendOnceOutcome> {
  const token = randomUUID();
  const claim = await claimOrAwait(request, token);
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
    sesMessageId = await sendEmail(
      { to: request.to, ...(await request.compose()) },
      markerTags(request.marker, token),
    ).finally(() => request.answered?.());
  } catch (error) {
    // SES messages may quote the address: only the error's name is logged.
    const errorName = error instanceof Error ? error.name : typeof error;
    if (classifySendFailure(error) === 'permanent') {
      const refusedAt = request.clock();
      const failedAt = refusedAt.toISOString();
      const failure = `${errorName}: ${error instanceof Error ? error.message : ''}`.slice(0, 500);
      const fresh = await markRejected(request.marker, token, failure, refusedAt);
      log.warn('mail refused by SES; recorded, not retried', { ...fields, errorName });
      return { outcome: 'rejected', failedAt, failure, fresh };
    }
    if (sesAnswered(error)) {
      await releaseClaim(request.marker, token, errorName);
      log.warn('mail not sent; it will be retried', {
        ...fields,
        count: claim.attempts,
        errorName,
      });
    } else {
      log.warn(
        'SES may or may not have the mail; its claim is kept until an event or the lease settles it',
        {
          ...fields,
          errorName,
        },
      );
    }
    return { outcome: 'retry' };
  }
  crashHereIfAsked();
  // SES has the mail: from here nothing may give the claim back, or a retry would send again.
  const marking = async () => {
    try {
      if (!(await markSent(request.marker, token, sesMessageId, request.clock()))) {
        log.warn('claim was taken over while sending: the email may go twice', fields);
      }
    } catch (error) {
      log.error('mail sent but not marked sent; its claim stays held', {
        ...fields,
        ...errorFields(error),
      });
    }
  };
  const [, accepted] = await Promise.allSettled([marking(), request.accepted?.()]);
  if (accepted.status === 'rejected') throw accepted.reason;
  return { outcome: 'sent', sesMessageId };
}

/**
 * How long a delivery that finds its mail claimed by another one that may still be running
 * (claimed less than the sender's timeout ago) waits for that one's outcome, and how often it
 * looks. Two copies of one message taken at once (a routing redelivery re-queues a mail whose
 * first message was in flight when its consumer died, and both come back together) would
 * otherwise leave one to come back a whole visibility timeout later, for nothing.
 */
const liveClaimWait = { totalMs: 5000, everyMs: 250 };

/** Claims the mail; if another delivery is sending it right now, waits a little for its outcome. */
async function claimOrAwait(request: SendOnceRequest, token: string): Promise<ClaimResult> {
  const claimAt = (now: Date) =>
    claimMail({
      marker: request.marker,
      label: request.label,
      to: request.to,
      token,
      now,
      leaseSeconds: mailClaimLeaseSeconds(functions[request.sender]),
      attributes: request.attributes,
      ...(request.statusAccessDigest ? { statusAccessDigest: request.statusAccessDigest } : {}),
    });
  let claim = await claimAt(request.now);
  const waitUntil = Date.now() + liveClaimWait.totalMs;
  const senderTimeoutMs = functions[request.sender].timeoutSeconds * 1000;
  while (
    claim.outcome === 'busy' &&
    claim.claimedAt !== undefined &&
    Date.parse(claim.claimedAt) + senderTimeoutMs > request.clock().getTime() &&
    Date.now() < waitUntil
  ) {
    await new Promise((resolve) => setTimeout(resolve, liveClaimWait.everyMs));
    // A read while the same claim stands (a fifth of a failed conditional write's price).
    const marker = await getMailMarker(request.marker);
    if (marker?.state === 'claimed' && marker.claimToken === claim.claimToken) continue;
    claim = await claimAt(request.clock());
  }
  return claim;
}

/**
 * True when SES answered with an error (so it did not take the mail) or could not be
 * reached at all; false when the request may have reached SES and the answer was lost.
 */
function sesAnswered(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const metadata: unknown = Reflect.get(error, '$metadata');
  const status =
    typeof metadata === 'object' && metadata !== null
      ? Reflect.get(metadata, 'httpStatusCode')
      : undefined;
  if (typeof status === 'number' && status >= 400) return true;
  const code: unknown = Reflect.get(error, 'code');
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}

function crashHereIfAsked(): void {
  const after = numberSetting(crashAfterAcceptedVariable, 0);
  if (after <= 0) return;
  acceptedSoFar++;
  if (acceptedSoFar >= after) process.kill(process.pid, 'SIGKILL');
}
