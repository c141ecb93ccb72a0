/**
 * Case handling as steps on the table: (1) read the complaint and its latest event, and
 * repair the projections if a crash left them behind; (2) check the version, the role and
 * the status; (3) append the event of the next version (the one write that decides a race);
 * (4) bring the complaint and its assignments up to it and queue its emails. Steps 1 and 4
 * are idempotent, so any later action or read finishes what a crashed one began.
 */
import { createHash } from 'node:crypto';
import { notificationMessageFor } from '#functions/contract/messages.ts';
import {
  appendCaseEvent,
  type CaseActor,
  type CaseEvent,
  caseStateOf,
  getCaseEvent,
  latestCaseEvent,
  markCaseNotified,
  projectAssignments,
  projectComplaint,
} from '#functions/data/cases.ts';
import { findComplaintByReference, getComplaint } from '#functions/data/complaints.ts';
import { getRoutingPolicy } from '#functions/data/configuration.ts';
import { enrolAcceptedComplainant } from '#functions/data/customers.ts';
import {
  type ActionInput,
  type CaseAction,
  type CaseParties,
  type CaseState,
  decide,
  nextState,
} from '#functions/domain/case-lifecycle.ts';
import type { Complaint } from '#functions/domain/complaint.ts';
import type { DepartmentCode } from '#functions/domain/departments.ts';
import { defaultRoutingPolicy } from '#functions/domain/routing.ts';
import { log } from '#functions/shared/log.ts';
import { sendToQueue } from '#functions/shared/queues.ts';
import { caseNotifications } from './case-notifications.ts';
import { syncRegisterRow } from './register.ts';

export interface LoadedCase {
  complaint: Complaint;
  state: CaseState;
  parties: CaseParties;
}

export function partiesOf(complaint: Complaint): CaseParties {
  return {
    market: complaint.customer.market,
    assigned: (complaint.routing?.assignments ?? []).map((assignment) => assignment.department),
  };
}

/** `gm` and `office` see every complaint; a department sees those assigned to it. */
export function canSee(roles: readonly DepartmentCode[], parties: CaseParties): boolean {
  return (
    roles.includes('gm') ||
    roles.includes('office') ||
    roles.some((role) => parties.assigned.includes(role))
  );
}

/** The case by id, its projections repaired up to the latest event first. */
export async function loadCaseById(id: string): Promise<LoadedCase | undefined> {
  const [complaint, latest] = await Promise.all([getComplaint(id), latestCaseEvent(id)]);
  if (!complaint) return undefined;
  if (latest) await catchUp(complaint, latest);
  const state = latest ? latest.state : caseStateOf(complaint);
  return {
    complaint: latest ? { ...complaint, ...state } : complaint,
    state,
    parties: partiesOf(complaint),
  };
}

export async function loadCase(reference: string): Promise<LoadedCase | undefined> {
  const found = await findComplaintByReference(reference);
  return found ? loadCaseById(found.id) : undefined;
}

/**
 * Brings the complaint, its assignments and its emails up to `event`: each write only moves
 * forward, so running this twice (or after a crash half-way) changes nothing more.
 */
export async function catchUp(complaint: Complaint, event: CaseEvent): Promise<void> {
  // Assignments first, the complaint last: a complaint at the event's version proves the rest
  // were written, so an up-to-date read costs no writes.
  if ((complaint.version ?? 0) < event.version) {
    await projectAssignments(complaint, event.state);
    await syncRegisterRow(complaint, event.state);
    // Accepted: a real exchange with the customer, who may now be asked in the yearly survey.
    // Before the complaint's projection, which proves this step done.
    if (event.state.firstResponseAt && !complaint.firstResponseAt && complaint.customer.email) {
      await enrolAcceptedComplainant(complaint.customer.email, event.state.firstResponseAt);
    }
    await projectComplaint(complaint, event.state, event.at);
  }
  if ((complaint.notifiedVersion ?? 0) < event.version) {
    for (const notification of caseNotifications(event, complaint)) {
      await sendToQueue('notification', notificationMessageFor(complaint.id, notification));
    }
    await markCaseNotified(complaint.id, event.version);
  }
}

export type ActionOutcome =
  | { outcome: 'done'; status: CaseState['status']; version: number }
  | { outcome: 'not_found' }
  /** The caller may not see this complaint at all. */
  | { outcome: 'hidden' }
  | { outcome: 'forbidden' }
  | { outcome: 'not_allowed'; allowed: CaseAction[]; status: CaseState['status'] }
  | { outcome: 'stale'; version: number }
  | { outcome: 'key_reused' };

export interface ActionRequest {
  reference: string;
  actor: Extract<CaseActor, { kind: 'staff' }>;
  version: number;
  input: ActionInput;
  idempotencyKey?: string;
  now: Date;
}

function fingerprintOf(input: ActionInput): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}

export async function takeAction(request: ActionRequest): Promise<ActionOutcome> {
  const loaded = await loadCase(request.reference);
  if (!loaded) return { outcome: 'not_found' };
  const { complaint, state, parties } = loaded;
  if (!canSee(request.actor.roles, parties)) return { outcome: 'hidden' };
  const fingerprint = fingerprintOf(request.input);

  // A retry whose first attempt was recorded: the event at its version carries its key.
  const earlier = request.idempotencyKey
    ? await answerOfKey(complaint.id, request.version + 1, request.idempotencyKey, fingerprint)
    : undefined;
  if (earlier) return earlier;

  const decision = decide(state, request.input.action, request.actor.roles, parties);
  if (decision.outcome === 'forbidden') return decision;
  if (request.version !== state.version) return { outcome: 'stale', version: state.version };
  if (decision.outcome === 'not_allowed') {
    return { outcome: 'not_allowed', allowed: decision.allowed, status: state.status };
  }

  const at = request.now.toISOString();
  // Only a proposal reads the policy (which remedies need the GM's approval).
  const policy =
    request.input.action === 'propose' ? await getRoutingPolicy() : defaultRoutingPolicy;
  const { action: type, ...fields } = request.input;
  const event: CaseEvent = {
    complaintId: complaint.id,
    version: state.version + 1,
    type,
    at,
    actor: request.actor,
    fields,
    state: nextState(state, request.input, at, policy),
    ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey, fingerprint } : {}),
  };
  if (!(await appendCaseEvent(event))) {
    // Someone acted on this version first (or our own retry did, concurrently).
    const same = request.idempotencyKey
      ? await answerOfKey(complaint.id, event.version, request.idempotencyKey, fingerprint)
      : undefined;
    // The version now is at least the one the other action made.
    return same ?? { outcome: 'stale', version: event.version };
  }
  await catchUp(complaint, event);
  log.info('case action recorded', {
    complaintId: complaint.id,
    reference: complaint.reference,
    notification: type,
    count: event.version,
  });
  return { outcome: 'done', status: event.state.status, version: event.version };
}

async function answerOfKey(
  complaintId: string,
  version: number,
  key: string,
  fingerprint: string,
): Promise<ActionOutcome | undefined> {
  const event = await getCaseEvent(complaintId, version);
  if (!event || event.idempotencyKey !== key) return undefined;
  if (event.fingerprint !== fingerprint) return { outcome: 'key_reused' };
  return { outcome: 'done', status: event.state.status, version: event.version };
}
