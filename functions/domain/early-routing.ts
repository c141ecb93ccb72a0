/**
 * A routing message that arrives before its complaint: intake sends it beside the
 * complaint's put, so routing may read before the put is visible, or the put may have
 * failed. Routing looks again, soon and then less often, while intake could still write the
 * complaint, and drops the message after that. Pure, so the rule is tested on its own.
 */

/** After intake's timeout, a put in flight when Lambda stopped it, and the clocks' skew. */
export const lateWriteMarginMs = 5_000;

/** The first look again, and the longest pause between two. */
const firstPauseMs = 25;
const longestPauseMs = 1_000;

/**
 * How long after its message was sent a complaint may still appear: intake sends the
 * message after its invocation started and its put can land no later than the invocation's
 * timeout (`intakeTimeoutSeconds`), plus the margin.
 */
export function complaintMayAppearForMs(intakeTimeoutSeconds: number): number {
  return intakeTimeoutSeconds * 1000 + lateWriteMarginMs;
}

/**
 * The pause before looking again for a complaint that was not there, or `undefined` when
 * the message is too old for it ever to appear (drop it): 25 ms, doubling up to 1 s, never
 * past the moment it can no longer appear (so the last look is made at that moment).
 * `ageMs` is now less the message's `SentTimestamp`; `looks` the looks made so far.
 */
export function pauseBeforeLookingAgain(
  looks: number,
  ageMs: number,
  intakeTimeoutSeconds: number,
): number | undefined {
  const left = complaintMayAppearForMs(intakeTimeoutSeconds) - ageMs;
  if (left <= 0) return undefined;
  const backoff = Math.min(longestPauseMs, firstPauseMs * 2 ** Math.max(0, looks - 1));
  return Math.min(backoff, left);
}
