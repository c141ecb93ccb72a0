/** Scheduled: re-sends routing messages that intake could not send or confirm. */
import { sweepUnconfirmedEnqueues } from '../services/intake.ts';
import { numberSetting } from '../shared/config.ts';
import { log } from '../shared/log.ts';

export async function handler(): Promise<{ resent: number; failed: number }> {
  const graceSeconds = numberSetting('ENQUEUE_GRACE_SECONDS', 120);
  const receivedBefore = new Date(Date.now() - graceSeconds * 1000);
  const result = await sweepUnconfirmedEnqueues(receivedBefore);
  if (result.resent > 0 || result.failed > 0) {
    log.info('enqueue sweep', { schedule: 'enqueue-sweep', count: result.resent });
  }
  if (result.failed > 0) throw new Error(`${result.failed} complaints could not be enqueued`);
  return result;
}
