/** The enqueue sweep's progress rules, against an index that lies the way a stale one does. */
import { describe, expect, it } from 'vitest';
import type {
  EnqueueEntry,
  EnqueueState,
  IndexPosition,
  ReferenceState,
  ReferenceSweepState,
} from '#functions/data/complaints.ts';
import {
  type ReferenceSweepStore,
  type SweepStore,
  sweepByReference,
  sweepUnconfirmedEnqueues,
} from '#functions/services/intake.ts';

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

describe('enqueue sweep by reference', () => {
  const now = new Date('2026-06-01T00:05:00Z');
  const walkLimits = {
    now,
    receivedBefore: new Date('2026-06-01T00:04:00Z'),
    outOfTime: () => false,
    gapAfterMs: 120_000,
  };
  const old = '2026-06-01T00:00:00.000Z';

  function fakeReferences(complaints: Record<number, ReferenceState>, state: ReferenceSweepState) {
    const sent: string[] = [];
    const saved: { from: number; sweptThrough: number; seen?: { value: number; at: string } }[] =
      [];
    const store: ReferenceSweepStore = {
      // Only 2026 has complaints; the year before has none.
      state: async (year) => (year === 2026 ? state : { allocated: 0, sweptThrough: 0 }),
      save: async (_year, from, next) => {
        saved.push({ from, ...next });
        return true;
      },
      find: async (reference) => complaints[Number(reference.split('-')[2])],
      enqueue: async (id) => {
        sent.push(id);
        return true;
      },
    };
    return { store, sent, saved };
  }
  const routed = (id: string): ReferenceState => ({ id, status: 'routed', createdAt: old });
  const stranded = (id: string, createdAt = old): ReferenceState => ({
    id,
    status: 'received',
    createdAt,
  });

  it('re-sends the stranded complaints and moves its place over every settled reference', async () => {
    const { store, sent, saved } = fakeReferences(
      { 1: routed('a'), 2: stranded('b'), 3: routed('c') },
      { allocated: 3, sweptThrough: 0 },
    );
    const result = await sweepByReference(walkLimits, store);
    expect(sent).toEqual(['b']);
    expect(result).toMatchObject({ resent: 1, failed: 0, examined: 3, gaps: 0 });
    expect(saved).toEqual([
      { from: 0, sweptThrough: 3, seen: { value: 3, at: now.toISOString() } },
    ]);
  });

  it('stops at a complaint still inside its grace, and starts there next time', async () => {
    const { store, sent, saved } = fakeReferences(
      { 5: routed('e'), 6: stranded('f', '2026-06-01T00:04:30.000Z'), 7: stranded('g') },
      { allocated: 7, sweptThrough: 4, seen: { value: 7, at: '2026-06-01T00:04:00.000Z' } },
    );
    const result = await sweepByReference(walkLimits, store);
    expect(sent).toEqual([]);
    expect(result.examined).toBe(2);
    expect(saved).toEqual([{ from: 4, sweptThrough: 5 }]);
  });

  it('counts a missing reference as a gap only well after it was seen handed out, and walks past it meanwhile', async () => {
    const recently = { value: 9, at: '2026-06-01T00:04:00.000Z' };
    const young = fakeReferences(
      { 9: stranded('i') },
      { allocated: 9, sweptThrough: 7, seen: recently },
    );
    expect(await sweepByReference(walkLimits, young.store)).toMatchObject({ gaps: 0, resent: 1 });
    // The gap (8) holds its place; the complaint behind it was re-sent all the same.
    expect(young.sent).toEqual(['i']);
    expect(young.saved).toEqual([]);

    const longAgo = { value: 9, at: '2026-06-01T00:01:00.000Z' };
    const settled = fakeReferences(
      { 9: { ...stranded('i'), enqueuedAt: old } },
      { allocated: 10, sweptThrough: 7, seen: longAgo },
    );
    // 8 is a gap for good; 10 was handed out after the count the gap was judged by.
    expect(await sweepByReference(walkLimits, settled.store)).toMatchObject({ gaps: 1 });
    expect(settled.sent).toEqual([]);
    expect(settled.saved).toEqual([
      { from: 7, sweptThrough: 9, seen: { value: 10, at: now.toISOString() } },
    ]);
  });

  it('examines at most its limit a run', async () => {
    const complaints = Object.fromEntries(
      Array.from({ length: 20 }, (_, index) => [index + 1, routed(`r${index + 1}`)]),
    );
    const { store, saved } = fakeReferences(complaints, { allocated: 20, sweptThrough: 0 });
    const result = await sweepByReference({ ...walkLimits, maxEntries: 5 }, store);
    expect(result).toMatchObject({ examined: 5, stopped: 'limit' });
    expect(saved[0]?.sweptThrough).toBe(5);
  });
});
