/** The local host stops an invocation that outlives its function's timeout, as Lambda does. */
import { describe, expect, it } from 'vitest';
import { functions } from '#functions/wiring.ts';
import { loadFunction } from '#infra/local/lambda-runtime.ts';

describe('local Lambda runtime', () => {
  it('stops a timed-out invocation instead of leaving it running, and starts afresh', async () => {
    const spec = {
      ...functions.enqueueSweep,
      entry: 'test/support/fixtures/runaway-handler.ts',
      timeoutSeconds: 1,
    };
    const runaway = await loadFunction('enqueueSweep', spec);
    const counter = new SharedArrayBuffer(4);
    const count = () => Atomics.load(new Int32Array(counter), 0);
    try {
      await expect(runaway.invoke({ counter })).rejects.toThrow(/timed out after 1 s/);
      const atTimeout = count();
      expect(atTimeout).toBeGreaterThan(0);
      // A fresh environment answers the next invocation...
      expect(await runaway.invoke({ counter, finish: true })).toEqual({ finished: true });
      // ...and the timed-out one counts no further (it would, every 20 ms, were it running).
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(count()).toBe(atTimeout);
    } finally {
      await runaway.stop();
    }
  });

  it("passes a handler's own error through, with its message", async () => {
    const sweep = await loadFunction('enqueueSweep', functions.enqueueSweep);
    try {
      // No table configured for this bare function: the handler's own error comes back.
      await expect(sweep.invoke({})).rejects.toThrow(/TABLE_NAME/);
    } finally {
      await sweep.stop();
    }
  });
});
