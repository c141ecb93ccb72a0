/** One send's turn: call it once the send has ended (answered or failed). */
export type SendRelease = () => void;

export interface SendWindow {
  /** Waits until one more send keeps within the rate; resolves with its release. */
  acquire(): Promise<SendRelease>;
}

/**
 * At most `perSecond` sends in any one-second window, counted as SES counts its quota: by
 * when it accepts a mail, which is some time between the call and its answer. A send may
 * start only while fewer than the limit are in flight or ended within the window before it
 * (a send counts until a window after its answer), so whatever SES's latency, no window of
 * its acceptances holds more. Unlike `pacer`'s fixed slots, a turn missed while the sender
 * was busy elsewhere (reading its next batch, preparing a mail) is not lost: the window
 * measures what was sent, so the long-run rate stays at the limit without ever exceeding
 * it. A fractional rate keeps to its whole part in each second (at least one send a window
 * stretched to keep the rate).
 */
export function sendWindow(
  perSecond: number,
  clock: () => number = Date.now,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): SendWindow {
  if (!(perSecond > 0)) throw new Error('A send rate must be more than 0 a second');
  const limit = Math.max(1, Math.floor(perSecond));
  const windowMs = Math.max(1000, (1000 * limit) / perSecond);
  /** When the recent sends ended, oldest first. */
  const ended: number[] = [];
  let inFlight = 0;
  let wake: (() => void) | undefined;
  /** One caller at a time waits for a turn, so turns go in the order they were asked for. */
  let turns: Promise<unknown> = Promise.resolve();
  const take = async (): Promise<SendRelease> => {
    for (;;) {
      const now = clock();
      while (ended.length > 0 && (ended[0] as number) <= now - windowMs) ended.shift();
      if (inFlight + ended.length < limit) break;
      if (ended.length > 0) await sleep((ended[0] as number) + windowMs - now);
      else await new Promise<void>((resolve) => (wake = resolve));
    }
    inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      inFlight--;
      ended.push(clock());
      wake?.();
      wake = undefined;
    };
  };
  return {
    acquire() {
      const turn = turns.then(take);
      turns = turn.catch(() => undefined);
      return turn;
    },
  };
}
