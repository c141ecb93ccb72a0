import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sendWindow } from '#functions/shared/pacer.ts';

function fakeClock() {
  let now = 1_000;
  const waits: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    waits,
  };
}

/** The most of `times` within any window of `windowMs` (as SES counts a per-second quota). */
function busiest(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, index = 0; index < sorted.length; index++) {
    while ((sorted[index] as number) - (sorted[first] as number) >= windowMs) first++;
    most = Math.max(most, index - first + 1);
  }
  return most;
}

describe('sendWindow', () => {
  it('lets the limit through at once, then waits for a window after the first answer', async () => {
    const time = fakeClock();
    const window = sendWindow(3, time.clock, time.sleep);
    const started: number[] = [];
    for (let send = 0; send < 4; send++) {
      const release = await window.acquire();
      started.push(time.clock());
      time.advance(10); // SES answers in 10 ms
      release();
    }
    expect(started).toEqual([1_000, 1_010, 1_020, 2_010]);
  });

  it('does not lose turns missed while the sender was busy elsewhere', async () => {
    const time = fakeClock();
    const window = sendWindow(2, time.clock, time.sleep);
    (await window.acquire())();
    time.advance(1_500); // a gap longer than a pacer's slot
    (await window.acquire())();
    (await window.acquire())();
    expect(time.waits).toEqual([]);
  });

  it('counts a send still in flight, and waits for its answer', async () => {
    const time = fakeClock();
    const window = sendWindow(1, time.clock, time.sleep);
    const first = await window.acquire();
    let second = false;
    const next = window.acquire().then((release) => {
      second = true;
      return release;
    });
    await Promise.resolve();
    time.advance(5_000);
    await Promise.resolve();
    expect(second).toBe(false);
    first();
    (await next)();
    expect(time.clock()).toBe(7_000);
  });

  it('keeps a fractional rate to its whole part a second, and a rate under one to its own pace', async () => {
    for (const [rate, gapMs] of [
      [2.5, 1_000],
      [0.5, 2_000],
    ] as const) {
      const time = fakeClock();
      const window = sendWindow(rate, time.clock, time.sleep);
      const started: number[] = [];
      for (let send = 0; send < 6; send++) {
        const release = await window.acquire();
        started.push(time.clock());
        release();
      }
      expect(busiest(started)).toBeLessThanOrEqual(Math.max(1, Math.floor(rate)));
      expect(started.at(-1)).toBe(
        1_000 + gapMs * (Math.ceil(6 / Math.max(1, Math.floor(rate))) - 1),
      );
    }
  });

  it('never has more answers in a second than the rate, whatever the latency (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 1_500 })), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 60, maxLength: 60 }),
        async (rate, sends, acceptedEarly) => {
          let now = 0;
          // Time moves on only when everyone waits: the sends run in parallel, as a batch does.
          const sleepers: { until: number; wake: () => void }[] = [];
          const sleep = (ms: number) =>
            new Promise<void>((wake) => sleepers.push({ until: now + ms, wake }));
          const window = sendWindow(rate, () => now, sleep);
          const accepted: number[] = [];
          const running = sends.map(async ([prepareMs, latencyMs], index) => {
            await sleep(prepareMs);
            const release = await window.acquire();
            const startedAt = now;
            await sleep(latencyMs);
            // SES accepts somewhere between the call and its answer.
            accepted.push(acceptedEarly[index] === 1 ? startedAt : now);
            release();
          });
          let done = false;
          const all = Promise.all(running).then(() => {
            done = true;
          });
          while (!done) {
            await new Promise((resolve) => setImmediate(resolve));
            if (done || sleepers.length === 0) continue;
            sleepers.sort((a, b) => a.until - b.until);
            const next = sleepers.shift() as { until: number; wake: () => void };
            now = Math.max(now, next.until);
            next.wake();
          }
          await all;
          expect(accepted).toHaveLength(sends.length);
          expect(busiest(accepted)).toBeLessThanOrEqual(rate);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a rate of zero', () => {
    expect(() => sendWindow(0)).toThrow(/more than 0/);
  });
});
