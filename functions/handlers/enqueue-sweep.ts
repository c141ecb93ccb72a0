/** Scheduled: re-sends routing messages that intake could not send or confirm. */
import type { Context } from 'aws-lambda';
import { type SweepResult, sweepUnconfirmedEnqueues } from '#functions/services/intake.ts';
import { setting } from '#functions/shared/config.ts';
import { log } from '#functions/shared/log.ts';
import { putCounts } from '#functions/shared/metrics.ts';

/** Stop starting new work this long before the function's timeout. */
const deadlineMarginMs = 5_000;

export async function handler(_event: unknown, context: Context): Promise<SweepResult> {
  const graceSeconds = setting('ENQUEUE_GRACE_SECONDS');
  const now = new Date();
  const receivedBefore = new Date(now.getTime() - graceSeconds * 1000);
  const result = await sweepUnconfirmedEnqueues({
    now,
    receivedBefore,
    outOfTime: () => context.getRemainingTimeInMillis() < deadlineMarginMs,
    maxEntries: setting('ENQUEUE_SWEEP_MAX_ENTRIES'),
  });
  const schedule = 'enqueue-sweep';
  if (result.resent > 0 || result.failed > 0)
    log.info('enqueue sweep', { schedule, count: result.resent });
  if (result.stale > 0) {
    log.warn('enqueue sweep: index entries contradicted by their item; skipped', {
      schedule,
      count: result.stale,
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
