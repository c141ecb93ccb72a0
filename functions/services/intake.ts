/**
 * Intake: store the complaint and hand it to routing, in two round trips: the year's
 * reference counter and the address's acknowledgement (taken on its registry entry, which
 * the same write brings up to the complaint) together with the description's write,
 * then the conditional put of the complaint together with the routing message. The answer
 * waits for both, so the message needs no round trip of its own; routing copes with one that
 * arrives before the put is visible, or for a put that failed: it looks again, soon, until
 * the message is older than intake can still write, and then drops it (see
 * functions/services/routing.ts). A put that fails answers an error, and nothing is routed.
 * Until routing records its decision the enqueue sweep, walking the year's references, finds
 * the complaint, so if the message is never sent (or lost) `enqueue-sweep` sends it later.
 * An idempotency key names the complaint (its id is derived from the key), so the
 * complaint's conditional put is the key's claim: a retry, or a concurrent twin, finds the
 * complaint and answers with it. Such a retry has sent a message beside its refused put too:
 * routing is idempotent (its decision is one conditional write, each mail has its marker),
 * so that duplicate routes nothing twice, and a retry whose key named another request (no
 * complaint at that id) sends none, as it makes no put.
 *
 * The draft has passed the whole contract before the first write here (reference,
 * acknowledgement, complaint): the contract refuses whatever the table cannot store,
 * so no write below can fail on what the customer sent and leave the others behind.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { RoutingMessage } from '#functions/contract/messages.ts';
import {
  allocateReference,
  complaintStateByReference,
  complaintsAwaitingEnqueue,
  createComplaint,
  getComplaintClaim,
  getEnqueueState,
  getReferenceSweepState,
  type IndexPosition,
  markEnqueued,
  removeFromEnqueueIndex,
  saveReferenceSweepState,
} from '#functions/data/complaints.ts';
import { acknowledgeComplainant, complainantProfile } from '#functions/data/customers.ts';
import { idempotentId } from '#functions/data/idempotency.ts';
import {
  acknowledgementsPerAddressPerDay,
  type ComplaintDraft,
  formatReference,
} from '#functions/domain/complaint.ts';
import { businessDay, businessYear } from '#functions/shared/clock.ts';
import { errorFields, log } from '#functions/shared/log.ts';
import { countBusiness } from '#functions/shared/metrics.ts';
import { sendToQueue } from '#functions/shared/queues.ts';
import { answerAccessDigest } from './status-access.ts';

const idempotencyScope = 'submit-complaint';
/** A retry finding the complaint unconfirmed this long after it was written sends its message. */
const firstRequestLeaseMs = 30_000;

export interface IntakeResult {
  id: string;
  reference: string;
  /** The status-link digests stored on the complaint (the JSON answer's, when asked for). */
  statusAccessDigests?: string[];
}

export interface IntakeOptions {
  /** The answer will carry a status link: its token's digest is stored with the complaint. */
  answerLink?: boolean;
}

export type IntakeOutcome =
  | { outcome: 'accepted'; result: IntakeResult }
  | { outcome: 'key_reused' };

export function fingerprint(draft: ComplaintDraft): string {
  return createHash('sha256').update(JSON.stringify(draft)).digest('hex');
}

/** The id of the complaint an idempotency key names. */
export function complaintIdForKey(idempotencyKey: string): string {
  return idempotentId(idempotencyScope, idempotencyKey);
}

export async function receiveComplaint(
  draft: ComplaintDraft,
  idempotencyKey: string | undefined,
  now: Date,
  options: IntakeOptions = {},
): Promise<IntakeOutcome> {
  const id = idempotencyKey === undefined ? randomUUID() : complaintIdForKey(idempotencyKey);
  const statusAccessDigests = options.answerLink ? [answerAccessDigest(id)] : undefined;
  const print = idempotencyKey === undefined ? undefined : fingerprint(draft);
  // Independent counters, taken while the description is written: one round trip for all.
  // A retry that finds its complaint below has spent a reference number (a gap, as after any
  // failed write; numbers are never reused).
  const profile = complainantProfile(draft);
  const numbering = Promise.all([
    allocateReference(businessYear(now)),
    // A customer keyed in by staff without an address gets no acknowledgement.
    profile
      ? acknowledgeComplainant(
          profile,
          businessDay(now),
          acknowledgementsPerAddressPerDay,
          now.toISOString(),
        )
      : false,
  ]).then(([reference, acknowledge]) => ({ reference, acknowledgementWithheld: !acknowledge }));
  // The routing message goes beside the complaint's put (the second round trip).
  const created = await createComplaint(
    {
      id,
      draft,
      createdAt: now.toISOString(),
      ...(print ? { fingerprint: print } : {}),
      ...(statusAccessDigests ? { statusAccessDigests } : {}),
    },
    numbering,
    ({ reference }) => sendForRouting(id, reference),
  );
  if (created === 'key_reused') return { outcome: 'key_reused' };
  if (created === 'exists') return answerRetry(id, print, now);
  const { reference } = await numbering;
  log.info('complaint stored', { complaintId: id, reference });
  countBusiness('ComplaintsReceived');
  return {
    outcome: 'accepted',
    result: { id, reference, ...(statusAccessDigests ? { statusAccessDigests } : {}) },
  };
}

/** The key's complaint exists: the same request gets its answer, another one is refused. */
async function answerRetry(
  id: string,
  print: string | undefined,
  now: Date,
): Promise<IntakeOutcome> {
  const existing = await getComplaintClaim(id);
  if (!existing) throw new Error('Complaint vanished after it was written');
  if (print === undefined || existing.fingerprint !== print) return { outcome: 'key_reused' };
  // The first request may have died between its put and its message: past its lease, send it
  // (routing is idempotent, so a message sent twice is harmless).
  if (
    !existing.enqueuedAt &&
    now.getTime() - Date.parse(existing.createdAt) > firstRequestLeaseMs
  ) {
    await enqueueForRouting(id, existing.reference, now);
  }
  return {
    outcome: 'accepted',
    result: {
      id,
      reference: existing.reference,
      ...(existing.statusAccessDigests
        ? { statusAccessDigests: existing.statusAccessDigests }
        : {}),
    },
  };
}

/**
 * Sends the routing message; never fails: a failure here is the sweep's to repair (it walks
 * the year's references).
 */
async function sendForRouting(id: string, reference: string): Promise<void> {
  try {
    const message: RoutingMessage = { complaintId: id };
    await sendToQueue('routing', message);
  } catch (error) {
    log.warn('routing enqueue failed; the sweep will retry', {
      complaintId: id,
      reference,
      ...errorFields(error),
    });
  }
}

/**
 * The sweep's send: the routing message, then its confirmation, which takes the complaint
 * out of the sweep's index (so a message that routing keeps failing on is sent once more,
 * not every minute). False on failure, for the next run to try again.
 */
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

export interface ReferenceSweepLimits extends SweepLimits {
  /**
   * A reference no complaint has this long after the sweep saw it handed out never will:
   * intake writes its complaint within its own timeout of taking the number.
   */
  gapAfterMs: number;
}

export interface ReferenceSweepResult {
  resent: number;
  failed: number;
  /** References examined this run. */
  examined: number;
  /** Numbers handed out that no complaint will have (intake failed after taking them). */
  gaps: number;
  stopped?: 'deadline' | 'limit' | 'failure';
}

/** What the reference walk reads and writes; the real table by default, a fake in unit tests. */
export interface ReferenceSweepStore {
  state: typeof getReferenceSweepState;
  save: typeof saveReferenceSweepState;
  find: typeof complaintStateByReference;
  enqueue: typeof enqueueForRouting;
}

const tableReferenceStore: ReferenceSweepStore = {
  state: getReferenceSweepState,
  save: saveReferenceSweepState,
  find: complaintStateByReference,
  enqueue: enqueueForRouting,
};

/**
 * The sweep without an index: complaints carry no entry for it (one index write less for
 * each), so it walks each year's references (sequential, from the year's counter) from where
 * it last got to. A reference is settled when its complaint is routed or confirmed enqueued
 * (by routing, or by this sweep's re-send), or when no complaint has it well after the sweep
 * saw it handed out (intake failed after taking the number). The walk stops at the first
 * complaint still inside its grace (those after it are newer); its place moves over the
 * settled references in a row, so every reference is looked at until it is settled, and a
 * complaint is re-sent at most once (its confirmation settles it). The same calls whatever
 * the table holds: one counter read a year, two reads per reference since the last run.
 */
export async function sweepByReference(
  limits: ReferenceSweepLimits,
  store: ReferenceSweepStore = tableReferenceStore,
): Promise<ReferenceSweepResult> {
  const maxEntries = limits.maxEntries ?? 500;
  const result: ReferenceSweepResult = { resent: 0, failed: 0, examined: 0, gaps: 0 };
  const year = businessYear(limits.now);
  // The year before too: its last complaints may still wait when the new year starts.
  for (const swept of [year - 1, year]) {
    const state = await store.state(swept);
    if (state.sweptThrough >= state.allocated) continue;
    const seenLongAgo =
      state.seen !== undefined &&
      limits.now.getTime() - Date.parse(state.seen.at) >= limits.gapAfterMs;
    let through = state.sweptThrough;
    let inRow = true;
    for (let sequence = state.sweptThrough + 1; sequence <= state.allocated; sequence++) {
      if (result.examined >= maxEntries) result.stopped = 'limit';
      else if (limits.outOfTime()) result.stopped = 'deadline';
      if (result.stopped) break;
      result.examined++;
      const reference = formatReference(swept, sequence);
      const found = await store.find(reference);
      let settled: boolean;
      if (!found) {
        settled = seenLongAgo && sequence <= (state.seen?.value ?? 0);
        if (settled) result.gaps++;
      } else if (found.status !== 'received' || found.enqueuedAt !== undefined) {
        settled = true;
      } else if (Date.parse(found.createdAt) >= limits.receivedBefore.getTime()) {
        break;
      } else if (await store.enqueue(found.id, reference, limits.now)) {
        result.resent++;
        settled = true;
      } else {
        // The queue is unreachable: stop and let the next run try again.
        result.failed++;
        result.stopped = 'failure';
        break;
      }
      if (inRow && settled) through = sequence;
      else inRow = false;
    }
    // A fresh count to judge later gaps by, once the last one is old enough to have judged.
    const seen =
      state.seen === undefined || seenLongAgo
        ? { value: state.allocated, at: limits.now.toISOString() }
        : undefined;
    if (through !== state.sweptThrough || seen) {
      await store.save(swept, state.sweptThrough, {
        sweptThrough: through,
        ...(seen ? { seen } : {}),
      });
    }
    if (result.stopped) break;
  }
  return result;
}
