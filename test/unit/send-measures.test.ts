import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { busiestOneSecondWindow, meanOneSecondWindow } from '#infra/bench/send-measures.ts';

/** `perSecond` times every second for `seconds` seconds, all at the second's start. */
function bunched(perSecond: number, seconds: number): number[] {
  return Array.from(
    { length: perSecond * seconds },
    (_, index) => Math.floor(index / perSecond) * 1000,
  );
}

/** `count` times spaced evenly at `perSecond`. */
function spaced(perSecond: number, count: number): number[] {
  return Array.from({ length: count }, (_, index) => (index * 1000) / perSecond);
}

describe('the bench measures of a run of sends', () => {
  it('gives the rate for a sender that fills every second, bunched or spaced', () => {
    expect(busiestOneSecondWindow(bunched(20, 5))).toBe(20);
    expect(meanOneSecondWindow(bunched(20, 5))).toBeCloseTo(20, 9);
    expect(busiestOneSecondWindow(spaced(20, 100))).toBe(20);
    expect(meanOneSecondWindow(spaced(20, 100))).toBeCloseTo(20, 9);
  });

  it('gives less for a sender that leaves a second half empty', () => {
    const gap = [...spaced(20, 40), ...spaced(20, 60).map((time) => time + 2500)];
    expect(meanOneSecondWindow(gap)).toBeLessThan(19);
    expect(busiestOneSecondWindow(gap)).toBe(20);
  });

  it('never gives more than the busiest second', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 8000 }), { minLength: 1, maxLength: 80 }),
        (raw) => {
          const times = [...raw].sort((a, b) => a - b);
          expect(meanOneSecondWindow(times)).toBeLessThanOrEqual(
            busiestOneSecondWindow(times) + 1e-9,
          );
        },
      ),
    );
  });
});
