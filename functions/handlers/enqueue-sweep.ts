/** Scheduled: re-sends routing messages that intake could not send or confirm. */
import type { Context } from 'aws-lambda';
import {
  type ReferenceSweepResult,
  type SweepResult,
  sweepByReference,
  sweepUnconfirmedEnqueues,
} from '#functions/services/intake.ts';
import { setting } from '#functions/shared/config.ts';
import { log } from '#functions/shared/log.ts';
import { putCounts } from '#functions/shared/metrics.ts';
import { functions } from '#functions/wiring.ts';

/** Stop starting new work this long before the function's timeout. */
const deadlineMarginMs = 5_000;

/**
 * A reference with no complaint this long after the sweep saw it handed out is a gap for
 * good: intake writes its complaint within its timeout of taking the number (a minute more
 * for the reference index to show it).
 */
const gapAfterMs = (functions.submitComplaint.timeoutSeconds + 60) * 1000;

export async function handler(
  _event: unknown,
  context: Context,
): Promise<SweepResult & Pick<ReferenceSweepResult, 'examined' | 'gaps'>> {
  const graceSeconds = setting('ENQUEUE_GRACE_SECONDS');
  const now = new Date();
  const receivedBefore = new Date(now.getTime() - graceSeconds * 1000);
  const outOfTime = () => context.getRemainingTimeInMillis() < deadlineMarginMs;
  const maxEntries = setting('ENQUEUE_SWEEP_MAX_ENTRIES');
  // Complaints stored before the walk kept an entry in the sweep's index: drained first.
  const indexed = await sweepUnconfirmedEnqueues({ now, receivedBefore, outOfTime, maxEntries });
  const walked =
    indexed.stopped === undefined
      ? await sweepByReference({ now, receivedBefore, outOfTime, maxEntries, gapAfterMs })
      : { resent: 0, failed: 0, examined: 0, gaps: 0 };
  const result = {
    ...indexed,
    resent: indexed.resent + walked.resent,
    failed: indexed.failed + walked.failed,
    examined: walked.examined,
    gaps: walked.gaps,
    ...(indexed.stopped || walked.stopped ? { stopped: indexed.stopped ?? walked.stopped } : {}),
  };
  const schedule = 'enqueue-sweep';
  if (result.resent > 0 || result.failed > 0)
    log.info('enqueue sweep', { schedule, count: result.resent });
  if (result.stale > 0) {
    log.warn('enqueue sweep: index entries contradicted by their item; skipped', {
      schedule,
      count: result.stale,
    });
  }
  if (result.gaps > 0) {
    log.info('enqueue sweep: references no complaint will have (intake failed after taking them)', {
      schedule,
      count: result.gaps,
    });
  }
  if (result.stopped === 'deadline' || result.stopped === 'limit') {
    log.warn(`enqueue sweep stopped early (${result.stopped}); the next run continues`, {
      schedule,
    });
  }
  putCounts('enqueueSweep', {
    SweepResent: result.resent,
    SweepFailed: result.failed,
    SweepStaleEntries: result.stale,
  });
  if (result.failed > 0) throw new Error(`${result.failed} complaints could not be enqueued`);
  return result;
}
