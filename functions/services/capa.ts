/**
 * CAPA as steps on the table, as case handling does it (`cases.ts`): read the item and its
 * latest event and repair the projections a crash left behind; check the version, the role
 * and the status; append the event of the next version (the one write that decides a race);
 * then bring the linked complaints (add-only `capaReferences`) and the item up to it. The
 * linking and the projection are idempotent, so any later read or step finishes what a
 * crashed one began. Overdue planned actions are escalated by the `sla-escalation` schedule.
 */
import { createHash } from 'node:crypto';
import {
  allocateCapaReference,
  appendCapaEvent,
  type CapaActor,
  type CapaEvent,
  type CapaItem,
  capaEscalations,
  capaEvents,
  capaItemsOfYear,
  claimCapaRequest,
  getCapaItem,
  getCapaRequest,
  latestCapaEvent,
  linkComplaintToCapa,
  projectCapa,
} from '#functions/data/capa.ts';
import { findComplaintByReference } from '#functions/data/complaints.ts';
import {
  allowedSteps,
  type CapaAction,
  type CapaStepInput,
  canCreateCapa,
  capaYear,
  completableActions,
  decideStep,
  initialState,
  type NewCapa,
  nextCapaState,
  overdueActions,
} from '#functions/domain/capa.ts';
import type { DepartmentCode } from '#functions/domain/departments.ts';
import { syncRegisterRow } from '#functions/services/register.ts';
import { businessDay } from '#functions/shared/clock.ts';
import { log } from '#functions/shared/log.ts';

export type CreateOutcome =
  | { outcome: 'created'; reference: string; version: number }
  | { outcome: 'forbidden' }
  /** Complaint references that name no complaint. */
  | { outcome: 'unknown_complaints'; references: string[] }
  /** The idempotency key created another CAPA: a different request. */
  | { outcome: 'key_reused' };

/** How long a creation request's key answers its retries with the same CAPA. */
const requestKeyDays = 30;

/**
 * Creates a CAPA at the next reference of the year. With an idempotency key (the form's
 * hidden one, or the API's `Idempotency-Key`), a repeat of the same request (a double click,
 * a retry after a lost answer) gets the same CAPA: the key's claim (the author's digest
 * and key, one conditional put) names the reference, and the version-1 event at that
 * reference, written only if absent, is the CAPA. A crash between the two is completed by
 * the retry; a twin that lost the claim leaves its number unused (a gap, never reused).
 */
export async function createCapa(request: {
  actor: CapaActor;
  input: NewCapa;
  now: Date;
  idempotencyKey?: string;
}): Promise<CreateOutcome> {
  if (!canCreateCapa(request.actor.roles)) return { outcome: 'forbidden' };
  const found = await Promise.all(
    request.input.complaints.map(async (reference) => ({
      reference,
      complaint: await findComplaintByReference(reference),
    })),
  );
  const unknown = found.filter((entry) => !entry.complaint).map((entry) => entry.reference);
  if (unknown.length > 0) return { outcome: 'unknown_complaints', references: unknown };
  const { now, idempotencyKey } = request;
  const year = Number(businessDay(now).slice(0, 4));
  if (idempotencyKey === undefined) {
    // A fresh reference: nobody else can hold version 1 of it.
    const reference = await allocateCapaReference(year);
    if (!(await writeCreation(reference, year, request))) {
      throw new Error(`CAPA ${reference} exists already`);
    }
    return { outcome: 'created', reference, version: 1 };
  }
  const digest = sha256(`${request.actor.email}\u0000${idempotencyKey}`);
  const fingerprint = sha256(JSON.stringify(request.input));
  let claim = await getCapaRequest(digest);
  if (!claim) {
    const reference = await allocateCapaReference(year);
    claim = (await claimCapaRequest(digest, { reference, fingerprint }, now, requestKeyDays))
      ? { reference, fingerprint }
      : await getCapaRequest(digest);
    if (!claim) throw new Error('CAPA request claim vanished after it was written');
  }
  if (claim.fingerprint !== fingerprint) return { outcome: 'key_reused' };
  const claimedYear = capaYear(claim.reference) ?? year;
  if (!(await writeCreation(claim.reference, claimedYear, request))) {
    // The first attempt wrote it: finish whatever it left undone, and answer the same.
    const [item, latest] = await Promise.all([
      getCapaItem(claimedYear, claim.reference),
      latestCapaEvent(claimedYear, claim.reference),
    ]);
    if (latest) await catchUp(item, latest);
  }
  return { outcome: 'created', reference: claim.reference, version: 1 };
}

/** Version 1 of the CAPA at `reference`, and its projections; false when it exists. */
async function writeCreation(
  reference: string,
  year: number,
  request: { actor: CapaActor; input: NewCapa; now: Date },
): Promise<boolean> {
  const { actions: _actions, ...fields } = request.input;
  const event: CapaEvent = {
    reference,
    year,
    version: 1,
    type: 'create',
    at: request.now.toISOString(),
    actor: request.actor,
    fields: { ...fields, actions: request.input.actions },
    state: initialState(request.input),
  };
  if (!(await appendCapaEvent(event))) return false;
  await catchUp(undefined, event);
  log.info('capa created', { reference, count: event.state.complaints.length });
  return true;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Links the complaints, then the item (the item at the event's version proves the links
 * were written: an up-to-date read costs no writes).
 */
async function catchUp(item: CapaItem | undefined, event: CapaEvent): Promise<void> {
  if (item && item.version >= event.version) return;
  for (const complaintReference of event.state.complaints) {
    const complaint = await findComplaintByReference(complaintReference);
    if (!complaint) continue;
    // The register row shows the complaint's CAPA: rewritten when the link is new, and
    // again whenever creation is repeated (a crash may have come between link and row).
    const linked = await linkComplaintToCapa(complaint.id, event.reference);
    if (linked || event.version === 1) await syncRegisterRow(complaint.id);
  }
  await projectCapa(event);
}

export interface LoadedCapa {
  item: CapaItem;
  year: number;
}

/** The CAPA by reference, its projections repaired up to the latest event first. */
export async function loadCapa(reference: string): Promise<LoadedCapa | undefined> {
  const year = capaYear(reference);
  if (year === undefined) return undefined;
  const [item, latest] = await Promise.all([
    getCapaItem(year, reference),
    latestCapaEvent(year, reference),
  ]);
  if (!latest) return undefined;
  if (!item || item.version < latest.version) {
    await catchUp(item, latest);
    const repaired = await getCapaItem(year, reference);
    return repaired ? { item: repaired, year } : undefined;
  }
  return { item, year };
}

export type StepOutcome =
  | { outcome: 'done'; status: CapaItem['status']; version: number }
  | { outcome: 'not_found' }
  | { outcome: 'forbidden' }
  | { outcome: 'not_allowed'; allowed: CapaAction[]; status: CapaItem['status'] }
  | { outcome: 'stale'; version: number };

export async function takeCapaStep(request: {
  reference: string;
  actor: CapaActor;
  version: number;
  input: CapaStepInput;
  now: Date;
}): Promise<StepOutcome> {
  const loaded = await loadCapa(request.reference);
  if (!loaded) return { outcome: 'not_found' };
  const { item, year } = loaded;
  const state = stateOf(item);
  const decision = decideStep(state, request.input, request.actor.roles);
  if (decision.outcome === 'forbidden') return decision;
  if (request.version !== state.version) return { outcome: 'stale', version: state.version };
  if (decision.outcome === 'not_allowed') {
    return { outcome: 'not_allowed', allowed: decision.allowed, status: state.status };
  }
  const at = request.now.toISOString();
  const { action: type, ...fields } = request.input;
  const event: CapaEvent = {
    reference: item.reference,
    year,
    version: state.version + 1,
    type,
    at,
    actor: request.actor,
    fields,
    state: nextCapaState(state, request.input, at, request.actor.name || request.actor.email),
  };
  if (!(await appendCapaEvent(event))) return { outcome: 'stale', version: event.version };
  await catchUp(item, event);
  log.info('capa step recorded', { reference: item.reference, notification: type });
  return { outcome: 'done', status: event.state.status, version: event.version };
}

export function stateOf(item: CapaItem) {
  const { reference: _r, year: _y, createdAt: _c, createdBy: _b, updatedAt: _u, ...state } = item;
  return state;
}

export interface CapaHistoryEntry {
  at: string;
  type: string;
  version?: number;
  actor: { email: string; name: string; roles: DepartmentCode[] } | { kind: 'system' };
  fields: Record<string, unknown>;
}

export interface CapaView extends CapaItem {
  allowedSteps: CapaAction[];
  /** Indexes of the planned actions the caller may record done. */
  completableActions: number[];
  /** Undone actions past their due date (China time) now. */
  overdueActions: number[];
  history: CapaHistoryEntry[];
}

export async function capaView(
  loaded: LoadedCapa,
  roles: readonly DepartmentCode[],
  now: Date,
): Promise<CapaView> {
  const { item, year } = loaded;
  const state = stateOf(item);
  const [events, escalations] = await Promise.all([
    capaEvents(year, item.reference),
    capaEscalations(year, item.reference),
  ]);
  const history: CapaHistoryEntry[] = [
    ...events.map((event) => ({
      at: event.at,
      type: event.type,
      version: event.version,
      actor: { email: event.actor.email, name: event.actor.name, roles: event.actor.roles },
      fields: event.fields,
    })),
    ...escalations.map((escalation) => ({
      at: escalation.dueAt,
      type: 'escalated',
      actor: { kind: 'system' as const },
      fields: {
        action: escalation.action,
        department: escalation.department,
        notify: escalation.notify,
      },
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return {
    ...item,
    allowedSteps: allowedSteps(state, roles),
    completableActions: completableActions(state, roles),
    overdueActions: overdueActions(state, now),
    history,
  };
}

/** The CAPA of the years given, newest first. */
export async function listCapa(years: number[]): Promise<CapaItem[]> {
  const lists = await Promise.all(years.map((year) => capaItemsOfYear(year)));
  return lists.flat().sort((a, b) => b.reference.localeCompare(a.reference));
}

/** This year and the last: what the console's list shows by default. */
export function recentYears(now: Date): number[] {
  const year = Number(businessDay(now).slice(0, 4));
  return [year, year - 1];
}
