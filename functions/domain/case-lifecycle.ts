/**
 * Case handling (BRIEF.md, "The procedure", steps 3–6; ISO 10002): which staff action a
 * complaint allows in which status, to whom, and what state it leads to. Pure rules: the
 * data layer records each action as one event and the complaint follows its latest event.
 *
 * The owner is `sales` for domestic and `export` for export customers; `gm` may do anything
 * an owner may. Statuses: received → routed → in_progress → (awaiting_approval) → responded
 * → closed, and reopened (back to the owner).
 */
import { type ComplaintStatus, type Market, statuses } from './complaint.ts';
import type { DepartmentCode } from './departments.ts';
import { needsApproval, ownerFor, type RemedyType, type RoutingPolicy } from './routing.ts';

export const caseActions = [
  'accept',
  'note',
  'investigate',
  'propose',
  'approve',
  'reject',
  'respond',
  'close',
  'reopen',
] as const;
export type CaseAction = (typeof caseActions)[number];

/** What the customer answers to the response; recorded like an action, by the customer. */
export type CustomerAnswer = 'satisfied' | 'not_satisfied';

export interface Remedy {
  type: RemedyType;
  amount?: number;
  currency?: string;
}

export interface Proposal {
  remedy: Remedy;
  response: { text: string };
  /** `not_needed`: ready to respond; `pending`: waits for the GM; a rejected one is proposed anew. */
  approval: 'not_needed' | 'pending' | 'approved' | 'rejected';
  proposedAt: string;
}

/** Where a case stands: the complaint carries it, each event records it as it was after. */
export interface CaseState {
  status: ComplaintStatus;
  /** Number of actions taken; the next action is recorded as `version + 1`. */
  version: number;
  firstResponseAt?: string;
  proposal?: Proposal;
  respondedAt?: string;
  closedAt?: string;
}

/** The facts about a complaint that decide who is who. */
export interface CaseParties {
  market: Market;
  /** Departments the routing assigned (empty before routing). */
  assigned: readonly DepartmentCode[];
}

interface ActionRule {
  from: readonly ComplaintStatus[];
  /** May a user with these roles take this action on this complaint at all (whatever its status)? */
  who: (roles: readonly DepartmentCode[], parties: CaseParties) => boolean;
}

/** Not `received`: until routing has assigned it, a complaint has no one to act on it. */
const routedStatuses: readonly ComplaintStatus[] = statuses.filter(
  (status) => status !== 'received',
);

export function isOwner(roles: readonly DepartmentCode[], parties: CaseParties): boolean {
  return roles.includes('gm') || roles.includes(ownerFor(parties.market));
}

const owner = isOwner;

export const actionRules: Record<CaseAction, ActionRule> = {
  accept: { from: ['routed', 'reopened'], who: owner },
  note: {
    from: routedStatuses,
    who: (roles, parties) =>
      roles.includes('gm') ||
      roles.includes('office') ||
      roles.some((role) => parties.assigned.includes(role)),
  },
  investigate: {
    from: ['routed', 'in_progress', 'awaiting_approval', 'reopened'],
    who: (roles, parties) =>
      (['qc', 'production_vp'] as const).some(
        (role) => roles.includes(role) && parties.assigned.includes(role),
      ),
  },
  propose: { from: ['in_progress'], who: owner },
  approve: { from: ['awaiting_approval'], who: (roles) => roles.includes('gm') },
  reject: { from: ['awaiting_approval'], who: (roles) => roles.includes('gm') },
  respond: { from: ['in_progress'], who: owner },
  close: { from: ['responded'], who: owner },
  reopen: { from: ['responded', 'closed'], who: owner },
};

/** A proposal the customer may be told: not needing approval, or approved. */
export function proposalReady(state: CaseState): boolean {
  const approval = state.proposal?.approval;
  return approval === 'not_needed' || approval === 'approved';
}

function statusAllows(action: CaseAction, state: CaseState): boolean {
  if (!actionRules[action].from.includes(state.status)) return false;
  if (action === 'respond') return proposalReady(state);
  return true;
}

/** The actions this user may take now, in the table's order. */
export function allowedActions(
  state: CaseState,
  roles: readonly DepartmentCode[],
  parties: CaseParties,
): CaseAction[] {
  return caseActions.filter(
    (action) => actionRules[action].who(roles, parties) && statusAllows(action, state),
  );
}

export type Decision =
  | { outcome: 'allowed' }
  /** The user's roles may never take this action on this complaint: 403. */
  | { outcome: 'forbidden' }
  /** The status does not allow it now: 422, naming what is allowed. */
  | { outcome: 'not_allowed'; allowed: CaseAction[] };

export function decide(
  state: CaseState,
  action: CaseAction,
  roles: readonly DepartmentCode[],
  parties: CaseParties,
): Decision {
  if (!actionRules[action].who(roles, parties)) return { outcome: 'forbidden' };
  if (!statusAllows(action, state)) {
    return { outcome: 'not_allowed', allowed: allowedActions(state, roles, parties) };
  }
  return { outcome: 'allowed' };
}

/** The fields each action carries (validated at the boundary, see `contract/case-actions.ts`). */
export type ActionInput =
  | { action: 'accept' }
  | { action: 'note'; text: string }
  | {
      action: 'investigate';
      rootCause: string;
      correctiveAction: string;
      trace?: Record<string, string>;
    }
  | { action: 'propose'; remedy: Remedy; response: { text: string } }
  | { action: 'approve'; comment?: string }
  | { action: 'reject'; comment: string }
  | { action: 'respond' }
  | { action: 'close'; reason: string }
  | { action: 'reopen'; reason: string };

/** The state after an allowed action (the caller has checked `decide`). */
export function nextState(
  state: CaseState,
  input: ActionInput,
  at: string,
  policy: RoutingPolicy,
): CaseState {
  const version = state.version + 1;
  switch (input.action) {
    case 'accept':
      return {
        ...state,
        version,
        status: 'in_progress',
        firstResponseAt: state.firstResponseAt ?? at,
      };
    case 'note':
    case 'investigate':
      return { ...state, version };
    case 'propose': {
      const approval = needsApproval(input.remedy.type, policy) ? 'pending' : 'not_needed';
      return {
        ...state,
        version,
        status: approval === 'pending' ? 'awaiting_approval' : 'in_progress',
        proposal: { remedy: input.remedy, response: input.response, approval, proposedAt: at },
      };
    }
    case 'approve':
    case 'reject':
      return {
        ...state,
        version,
        status: 'in_progress',
        ...(state.proposal
          ? {
              proposal: {
                ...state.proposal,
                approval: input.action === 'approve' ? 'approved' : 'rejected',
              },
            }
          : {}),
      };
    case 'respond':
      return { ...state, version, status: 'responded', respondedAt: at };
    case 'close':
      return { ...state, version, status: 'closed', closedAt: at };
    case 'reopen':
      return withoutOutcome({ ...state, version, status: 'reopened' });
  }
}

/** The customer's answer to a response: satisfied closes it, not satisfied reopens it. */
export function answerState(state: CaseState, answer: CustomerAnswer, at: string): CaseState {
  const version = state.version + 1;
  return answer === 'satisfied'
    ? { ...state, version, status: 'closed', closedAt: at }
    : withoutOutcome({ ...state, version, status: 'reopened' });
}

/** A reopened case starts its remedy anew: the old proposal and close are history only. */
function withoutOutcome(state: CaseState): CaseState {
  const { proposal: _proposal, respondedAt: _responded, closedAt: _closed, ...rest } = state;
  return rest;
}

/** Open means someone still has to act: the queue lists these, the SLA clock runs on them. */
export function isOpen(status: ComplaintStatus): boolean {
  return status !== 'closed' && status !== 'responded';
}

/**
 * The next deadline the SLA clock watches: the first response until it is given, then the
 * resolution until the customer has the response; none after that.
 */
export function nextDeadline(
  state: CaseState,
  due: { firstResponseDueAt: string; resolutionDueAt: string },
): { level: EscalationLevel; dueAt: string } | undefined {
  if (!isOpen(state.status)) return undefined;
  if (!state.firstResponseAt) return { level: 'first_response', dueAt: due.firstResponseDueAt };
  return { level: 'resolution', dueAt: due.resolutionDueAt };
}

/** `first_response`: the owner and the office are reminded; `resolution`: the GM is told. */
export const escalationLevels = ['first_response', 'resolution'] as const;
export type EscalationLevel = (typeof escalationLevels)[number];

/** The levels overdue at `now` for this case (each is acted on once per complaint). */
export function overdueLevels(
  state: CaseState,
  due: { firstResponseDueAt: string; resolutionDueAt: string },
  now: Date,
): EscalationLevel[] {
  if (!isOpen(state.status)) return [];
  const levels: EscalationLevel[] = [];
  if (!state.firstResponseAt && Date.parse(due.firstResponseDueAt) <= now.getTime()) {
    levels.push('first_response');
  }
  if (Date.parse(due.resolutionDueAt) <= now.getTime()) levels.push('resolution');
  return levels;
}

/** Who is told of an overdue level. */
export function escalationRecipients(level: EscalationLevel, market: Market): DepartmentCode[] {
  return level === 'first_response' ? [ownerFor(market), 'office'] : ['gm'];
}

/** The steps a customer sees on the status page: no internal notes, no staff names. */
export const publicSteps = ['received', 'handling', 'responded', 'closed', 'reopened'] as const;
export type PublicStep = (typeof publicSteps)[number];

export interface PublicStepEntry {
  step: PublicStep;
  at: string;
}

/** The customer's timeline from the case events: only the public steps, never notes or names. */
export function publicTimeline(
  receivedAt: string,
  events: readonly { type: string; at: string; state: { status: ComplaintStatus } }[],
): PublicStepEntry[] {
  const steps: PublicStepEntry[] = [{ step: 'received', at: receivedAt }];
  for (const event of events) {
    if (event.type === 'accept') steps.push({ step: 'handling', at: event.at });
    else if (event.type === 'respond') steps.push({ step: 'responded', at: event.at });
    else if (event.state.status === 'closed') steps.push({ step: 'closed', at: event.at });
    else if (event.state.status === 'reopened') steps.push({ step: 'reopened', at: event.at });
  }
  return steps;
}
