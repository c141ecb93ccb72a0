/**
 * Keeps calls to at most `perSecond` a second: each call waits for its slot. SES quotas are
 * per second, so the survey's senders share the configured rate between their instances.
 */
export function pacer(
  perSecond: number,
  clock: () => number = Date.now,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): () => Promise<void> {
  if (!(perSecond > 0)) throw new Error('A send rate must be more than 0 a second');
  const interval = 1000 / perSecond;
  let nextSlot = 0;
  return async () => {
    const now = clock();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + interval;
    if (slot > now) await sleep(slot - now);
  };
}
