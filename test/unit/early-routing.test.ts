/** A routing message that comes before its complaint: looked for again while it may appear. */
import { describe, expect, it } from 'vitest';
import {
  complaintMayAppearForMs,
  lateWriteMarginMs,
  pauseBeforeLookingAgain,
} from '#functions/domain/early-routing.ts';
import { intakeTimeoutSeconds } from '#functions/services/routing.ts';
import { functionSpecs, functions } from '#functions/wiring.ts';

describe('a routing message whose complaint is not there', () => {
  it('is looked for again soon, then less often, up to a second apart', () => {
    const pauses = [1, 2, 3, 4, 5, 6, 7, 8].map((looks) => pauseBeforeLookingAgain(looks, 0, 10));
    expect(pauses).toEqual([25, 50, 100, 200, 400, 800, 1000, 1000]);
  });

  it('is looked for a last time when intake can no longer write, and then dropped', () => {
    const limit = complaintMayAppearForMs(10);
    expect(limit).toBe(10_000 + lateWriteMarginMs);
    // The last pause ends at the limit, not a whole second past it.
    expect(pauseBeforeLookingAgain(20, limit - 300, 10)).toBe(300);
    expect(pauseBeforeLookingAgain(1, limit - 1, 10)).toBe(1);
    expect(pauseBeforeLookingAgain(20, limit, 10)).toBeUndefined();
    expect(pauseBeforeLookingAgain(1, limit + 60_000, 10)).toBeUndefined();
  });

  it('waits longer for a slower intake', () => {
    const age = complaintMayAppearForMs(10) + 1000;
    expect(pauseBeforeLookingAgain(1, age, 10)).toBeUndefined();
    expect(pauseBeforeLookingAgain(1, age, 20)).toBe(25);
  });

  it('waits as long as the longest intake of the wiring, within the routing function’s own timeout', () => {
    // Every function that takes complaints in and sends them to routing (not the sweep,
    // which sends only complaints it found stored).
    const intakes = functionSpecs().filter(
      ([, spec]) => spec.trigger.kind === 'http' && spec.sendsTo.includes('routing'),
    );
    expect(intakes.map(([name]) => name).sort()).toEqual(['staffCases', 'submitComplaint']);
    for (const [, spec] of intakes) {
      expect(spec.timeoutSeconds).toBeLessThanOrEqual(intakeTimeoutSeconds);
    }
    // The wait, and the routing itself after it, fit in one invocation.
    expect(functions.routeComplaint.timeoutSeconds * 1000).toBeGreaterThanOrEqual(
      2 * complaintMayAppearForMs(intakeTimeoutSeconds),
    );
  });
});
