/** The enqueue sweep's progress rules, against an index that lies the way a stale one does. */
import { describe, expect, it } from 'vitest';
import type { EnqueueEntry, EnqueueState, IndexPosition } from '#functions/data/complaints.ts';
import { type SweepStore, sweepUnconfirmedEnqueues } from '#functions/services/intake.ts';

interface FakeIndex {
  /** Entries the index answers with, in order; `pages` cuts them. */
  entries: EnqueueEntry[];
  items: Record<string, EnqueueState>;
  /** Keeps answering the first page, as an index that never drops a stale entry would. */
  stuck?: boolean;
}

function fakeStore(index: FakeIndex) {
  const sent: string[] = [];
  const repaired: string[] = [];
  const store: SweepStore = {
    page: async (_before: string, limit: number, after?: IndexPosition) => {
      const start = index.stuck ? 0 : Number(after?.position ?? 0);
      const entries = index.entries.slice(start, start + limit);
      const end = start + entries.length;
      return end < index.entries.length || index.stuck
        ? { entries, next: { position: String(end) } }
        : { entries };
    },
    read: async (id: string) => index.items[id],
    repair: async (id: string) => {
      repaired.push(id);
      return true;
    },
    enqueue: async (id: string) => {
      sent.push(id);
      // The item is confirmed; a stale index may still list it.
      const item = index.items[id];
      if (item) index.items[id] = { ...item, enqueuedAt: 'now', waiting: false };
      return true;
    },
  };
  return { store, sent, repaired };
}

const waiting = (reference: string): EnqueueState => ({ reference, waiting: true });
const limits = {
  now: new Date('2026-01-01T00:05:00Z'),
  receivedBefore: new Date('2026-01-01T00:00:00Z'),
  outOfTime: () => false,
};

describe('enqueue sweep', () => {
  it('finishes on an index entry that never goes away, sends nothing for it, and reports it', async () => {
    const { store, sent } = fakeStore({
      entries: [{ id: 'ghost', reference: 'FB-2026-000024' }],
      items: { ghost: { reference: 'FB-2026-000024', enqueuedAt: 'earlier', waiting: false } },
      stuck: true,
    });
    const result = await sweepUnconfirmedEnqueues({ ...limits, maxEntries: 50 }, store);
    expect(sent).toEqual([]);
    expect(result).toMatchObject({ resent: 0, stale: 1, repaired: 0, stopped: 'limit' });
  });

  it('sends a waiting complaint at most once even when the index keeps listing it', async () => {
    const { store, sent } = fakeStore({
      entries: [{ id: 'a', reference: 'FB-2026-000001' }],
      items: { a: waiting('FB-2026-000001') },
      stuck: true,
    });
    const result = await sweepUnconfirmedEnqueues({ ...limits, maxEntries: 100 }, store);
    expect(sent).toEqual(['a']);
    expect(result.resent).toBe(1);
  });

  it('pages forward past stale entries to the waiting ones behind them', async () => {
    const entries = Array.from({ length: 60 }, (_, n) => ({ id: `c${n}`, reference: `R${n}` }));
    const items: Record<string, EnqueueState> = {};
    for (const [n, entry] of entries.entries()) {
      // The first 40 are confirmed already (one still carrying the index attributes).
      items[entry.id] =
        n < 40
          ? { reference: entry.reference, enqueuedAt: 'earlier', waiting: n === 7 }
          : waiting(entry.reference);
    }
    delete items.c3; // gone altogether
    const { store, sent, repaired } = fakeStore({ entries, items });
    const result = await sweepUnconfirmedEnqueues({ ...limits, pageSize: 25 }, store);
    expect(sent).toEqual(entries.slice(40).map((entry) => entry.id));
    expect(repaired).toEqual(['c7']);
    expect(result).toEqual({ resent: 20, failed: 0, stale: 40, repaired: 1 });
  });

  it('stops before its deadline and leaves the rest to the next run', async () => {
    const entries = Array.from({ length: 10 }, (_, n) => ({ id: `c${n}`, reference: `R${n}` }));
    const items = Object.fromEntries(entries.map((entry) => [entry.id, waiting(entry.reference)]));
    const { store, sent } = fakeStore({ entries, items });
    let checks = 0;
    const result = await sweepUnconfirmedEnqueues(
      { ...limits, outOfTime: () => ++checks > 4 },
      store,
    );
    expect(result.stopped).toBe('deadline');
    expect(sent.length).toBeLessThan(10);
    expect(result.resent).toBe(sent.length);
  });
});
