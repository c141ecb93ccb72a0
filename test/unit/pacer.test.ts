import { describe, expect, it } from 'vitest';
import { pacer } from '#functions/shared/pacer.ts';

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

describe('pacer', () => {
  it('spaces calls to the rate', async () => {
    const time = fakeClock();
    const pace = pacer(4, time.clock, time.sleep);
    for (let call = 0; call < 5; call++) await pace();
    expect(time.waits).toEqual([250, 250, 250, 250]);
  });

  it('does not wait when calls are already slower than the rate', async () => {
    const time = fakeClock();
    const pace = pacer(10, time.clock, time.sleep);
    await pace();
    time.advance(500);
    await pace();
    expect(time.waits).toEqual([]);
  });

  it('refuses a rate of zero', () => {
    expect(() => pacer(0)).toThrow(/more than 0/);
  });
});
