/**
 * Intake: store the complaint, then hand it to routing. The complaint is written first so
 * nothing is lost; if the routing message cannot be sent or confirmed, the complaint stays
 * in the sweep's index and `enqueue-sweep` sends it later. Idempotency keys make retries
 * (including concurrent ones) answer with the first complaint.
 *
 * The draft has passed the whole contract before the first write here (idempotency claim,
 * reference, acknowledgement count): the contract refuses whatever the table cannot store,
 * so no write below can fail on what the customer sent and leave the others behind.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { RoutingMessage } from '#functions/contract/messages.ts';
import { takeAcknowledgement } from '#functions/data/acknowledgement-counts.ts';
import {
  allocateReference,
  complaintsAwaitingEnqueue,
  createComplaint,
  getComplaint,
  getEnqueueState,
  type IndexPosition,
  markEnqueued,
  removeFromEnqueueIndex,
} from '#functions/data/complaints.ts';
import {
  claimIdempotencyKey,
  completedResult,
  completeIdempotencyKey,
  type IdempotentResult,
} from '#functions/data/idempotency.ts';
import {
  acknowledgementsPerAddressPerDay,
  type ComplaintDraft,
} from '#functions/domain/complaint.ts';
import { businessDay, businessYear } from '#functions/shared/clock.ts';
import { errorFields, log } from '#functions/shared/log.ts';
import { countBusiness } from '#functions/shared/metrics.ts';
import { sendToQueue } from '#functions/shared/queues.ts';

const idempotencyScope = 'submit-complaint';
const idempotencyTtlSeconds = 24 * 60 * 60;
const idempotencyLeaseSeconds = 30;

export type IntakeOutcome =
  | { outcome: 'accepted'; result: IdempotentResult }
  | { outcome: 'key_reused' }
  | { outcome: 'in_progress' };

export function fingerprint(draft: ComplaintDraft): string {
  return createHash('sha256').update(JSON.stringify(draft)).digest('hex');
}

export async function receiveComplaint(
  draft: ComplaintDraft,
  idempotencyKey: string | undefined,
  now = new Date(),
): Promise<IntakeOutcome> {
  if (idempotencyKey === undefined) {
    return { outcome: 'accepted', result: await storeAndEnqueue(randomUUID(), draft, now, false) };
  }
  const claim = await claimIdempotencyKey({
    scope: idempotencyScope,
    key: idempotencyKey,
    fingerprint: fingerprint(draft),
    complaintId: randomUUID(),
    nowSeconds: Math.floor(now.getTime() / 1000),
    ttlSeconds: idempotencyTtlSeconds,
    leaseSeconds: idempotencyLeaseSeconds,
  });
  switch (claim.outcome) {
    case 'mismatch':
      return { outcome: 'key_reused' };
    case 'completed':
      return { outcome: 'accepted', result: claim.result };
    case 'in_progress': {
      const result = await waitForFirstRequest(idempotencyKey);
      return result ? { outcome: 'accepted', result } : { outcome: 'in_progress' };
    }
    case 'claimed': {
      const result = await storeAndEnqueue(claim.complaintId, draft, now, claim.takenOver);
      await completeIdempotencyKey(idempotencyScope, idempotencyKey, result);
      return { outcome: 'accepted', result };
    }
  }
}

async function storeAndEnqueue(id: string, draft: ComplaintDraft, now: Date, takenOver: boolean) {
  // Only a claim taken over from a crashed request can find its complaint already written.
  const existing = takenOver ? await getComplaint(id) : undefined;
  let reference = existing?.reference;
  if (!existing) {
    // Independent counters: one round trip for both.
    const [allocated, acknowledge] = await Promise.all([
      allocateReference(businessYear(now)),
      // A customer keyed in by staff without an address gets no acknowledgement.
      draft.customer.email
        ? takeAcknowledgement(
            draft.customer.email,
            businessDay(now),
            acknowledgementsPerAddressPerDay,
            Math.floor(now.getTime() / 1000) + 2 * 86_400,
          )
        : false,
    ]);
    reference = allocated;
    const created = await createComplaint({
      id,
      reference,
      draft,
      createdAt: now.toISOString(),
      acknowledgementWithheld: !acknowledge,
    });
    if (!created) reference = (await getComplaint(id))?.reference;
  }
  if (reference === undefined) throw new Error('Complaint vanished after it was written');
  log.info('complaint stored', { complaintId: id, reference });
  if (!existing?.enqueuedAt) await enqueueForRouting(id, reference, now);
  countBusiness('ComplaintsReceived');
  return { id, reference };
}

/** Sends the routing message and confirms it; a failure here is the sweep's to repair. */
export async function enqueueForRouting(
  id: string,
  reference: string,
  now: Date,
): Promise<boolean> {
  try {
    const message: RoutingMessage = { complaintId: id };
    await sendToQueue('routing', message);
    await markEnqueued(id, now.toISOString());
    return true;
  } catch (error) {
    log.warn('routing enqueue failed; the sweep will retry', {
      complaintId: id,
      reference,
      ...errorFields(error),
    });
    return false;
  }
}

async function waitForFirstRequest(key: string): Promise<IdempotentResult | undefined> {
  for (let attempt = 0; attempt < 30; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const result = await completedResult(idempotencyScope, key);
    if (result) return result;
  }
  return undefined;
}

export interface SweepLimits {
  /** The run's time: what a re-sent complaint is marked enqueued at. */
  now: Date;
  /** Only complaints received before this are swept (intake may still be confirming later ones). */
  receivedBefore: Date;
  /** The run stops starting new work once this is true (its Lambda deadline is near). */
  outOfTime: () => boolean;
  /** Index entries looked at per run, at most: a run's work is bounded whatever the index holds. */
  maxEntries?: number;
  pageSize?: number;
}

export interface SweepResult {
  resent: number;
  failed: number;
  /** Index entries the item contradicts (already enqueued, or gone): skipped, or repaired. */
  stale: number;
  /** Of the stale ones, those whose item still carried the index attributes and was fixed. */
  repaired: number;
  /** Why the run ended before the index did, if it did. */
  stopped?: 'deadline' | 'limit' | 'failure';
}

/** What the sweep reads and writes; the real table by default, a fake in unit tests. */
export interface SweepStore {
  page: typeof complaintsAwaitingEnqueue;
  read: typeof getEnqueueState;
  repair: typeof removeFromEnqueueIndex;
  enqueue: typeof enqueueForRouting;
}

const tableSweepStore: SweepStore = {
  page: complaintsAwaitingEnqueue,
  read: getEnqueueState,
  repair: removeFromEnqueueIndex,
  enqueue: enqueueForRouting,
};

/**
 * The sweep: pages forward through the index once, handles each entry at most once, and
 * confirms every entry with a consistent read of its item before sending anything, so an
 * index entry the item contradicts is counted as stale, never re-sent in a loop.
 */
export async function sweepUnconfirmedEnqueues(
  limits: SweepLimits,
  store: SweepStore = tableSweepStore,
): Promise<SweepResult> {
  const maxEntries = limits.maxEntries ?? 500;
  const pageSize = limits.pageSize ?? 25;
  const result: SweepResult = { resent: 0, failed: 0, stale: 0, repaired: 0 };
  const seen = new Set<string>();
  let examined = 0;
  let after: IndexPosition | undefined;
  do {
    if (limits.outOfTime()) return { ...result, stopped: 'deadline' };
    const page = await store.page(limits.receivedBefore.toISOString(), pageSize, after);
    for (const entry of page.entries) {
      if (examined >= maxEntries) return { ...result, stopped: 'limit' };
      if (limits.outOfTime()) return { ...result, stopped: 'deadline' };
      examined++;
      if (seen.has(entry.id)) continue;
      seen.add(entry.id);
      const state = await store.read(entry.id);
      if (!state || state.enqueuedAt !== undefined || !state.waiting) {
        result.stale++;
        if (state?.enqueuedAt !== undefined && state.waiting && (await store.repair(entry.id))) {
          result.repaired++;
        }
        continue;
      }
      if (await store.enqueue(entry.id, state.reference, limits.now)) result.resent++;
      else result.failed++;
    }
    // A failed send means the queue is unreachable: stop and let the next run try again.
    if (result.failed > 0) return { ...result, stopped: 'failure' };
    after = page.next;
  } while (after);
  return result;
}
