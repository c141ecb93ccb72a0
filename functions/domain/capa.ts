/**
 * Corrective and preventive actions (CAPA; 《纠正措施控制程序》《预防措施控制程序》): what a
 * CAPA holds, who may take which step in which status, and the state each step leads to.
 * Pure rules: the data layer records each step as one event and the CAPA item follows the
 * latest one, as case handling does for complaints.
 *
 * `open` (plan written) → `in_progress` (the GM approved the plan) → `awaiting_verification`
 * (every action done) → `effective` (QC found it effective and the GM approved the closure:
 * closed) or `not_effective` (QC found it not effective) → `in_progress` again with a revised
 * plan.
 */
import type { DepartmentCode } from './departments.ts';

export const capaTypes = ['corrective', 'preventive'] as const;
export type CapaType = (typeof capaTypes)[number];

/** Where the need came from: complaints, a statistics finding, the yearly survey, a suggestion. */
export const capaSources = ['complaints', 'statistics', 'survey', 'suggestion'] as const;
export type CapaSource = (typeof capaSources)[number];

export const capaStatuses = [
  'open',
  'in_progress',
  'awaiting_verification',
  'effective',
  'not_effective',
] as const;
export type CapaStatus = (typeof capaStatuses)[number];

export const capaActions = [
  'approve_plan',
  'complete_action',
  'submit',
  'verify',
  'close',
  'revise',
  'note',
] as const;
export type CapaAction = (typeof capaActions)[number];

/** The complaint owners (`sales`, `export`), `qc`, `production_vp` and `gm` write CAPA. */
export const capaWriters: readonly DepartmentCode[] = [
  'sales',
  'export',
  'qc',
  'production_vp',
  'gm',
];

export function canCreateCapa(roles: readonly DepartmentCode[]): boolean {
  return roles.some((role) => capaWriters.includes(role));
}

/** One planned action: what, which department owns it, by when (a China-time date). */
export interface PlannedAction {
  description: string;
  department: DepartmentCode;
  /** `YYYY-MM-DD`: due at the end of that day, China time. */
  dueDate: string;
  doneAt?: string;
  doneBy?: string;
  result?: string;
}

export interface EffectivenessCheck {
  method: string;
  /** When the check is due (`YYYY-MM-DD`). */
  dueDate: string;
}

export interface Verification {
  verdict: 'effective' | 'not_effective';
  evidence: string;
  at: string;
  by: string;
}

/** What a CAPA is and where it stands; each event records it as it was after. */
export interface CapaState {
  status: CapaStatus;
  /** Number of steps taken, creation included; the next is recorded as `version + 1`. */
  version: number;
  type: CapaType;
  source: CapaSource;
  /** The finding, survey or suggestion, when the source is not complaints. */
  sourceNote?: string;
  problem: string;
  rootCause: string;
  actions: PlannedAction[];
  effectiveness: EffectivenessCheck;
  /** Complaint references (`FB-…`) this CAPA answers. */
  complaints: string[];
  /** For the register's and statistics' context; optional. */
  category?: string;
  productModel?: string;
  planApprovedAt?: string;
  /** The latest QC verdict (a revision clears it). */
  verification?: Verification;
  /** How many times QC found it not effective. */
  notEffectiveCount: number;
  closedAt?: string;
}

interface StepRule {
  from: readonly CapaStatus[];
  who: (roles: readonly DepartmentCode[], state: CapaState, input: CapaStepInput) => boolean;
}

const writer = (roles: readonly DepartmentCode[]) => canCreateCapa(roles);
const gm = (roles: readonly DepartmentCode[]) => roles.includes('gm');

export const stepRules: Record<CapaAction, StepRule> = {
  approve_plan: { from: ['open'], who: gm },
  // The action's own department, or the GM, records it done.
  complete_action: {
    from: ['in_progress'],
    who: (roles, state, input) => {
      if (roles.includes('gm')) return true;
      if (input.action !== 'complete_action') return false;
      const planned = state.actions[input.index];
      return planned !== undefined && roles.includes(planned.department);
    },
  },
  submit: { from: ['in_progress'], who: writer },
  verify: { from: ['awaiting_verification'], who: (roles) => roles.includes('qc') },
  close: { from: ['awaiting_verification'], who: gm },
  revise: { from: ['not_effective'], who: writer },
  note: {
    from: ['open', 'in_progress', 'awaiting_verification', 'not_effective'],
    who: writer,
  },
};

/** The fields each step carries (validated at the boundary, see `contract/capa.ts`). */
export type CapaStepInput =
  | { action: 'approve_plan'; comment?: string }
  | { action: 'complete_action'; index: number; result: string }
  | { action: 'submit'; comment?: string }
  | { action: 'verify'; verdict: Verification['verdict']; evidence: string }
  | { action: 'close'; comment?: string }
  | {
      action: 'revise';
      rootCause?: string;
      actions: Omit<PlannedAction, 'doneAt' | 'doneBy' | 'result'>[];
      comment: string;
    }
  | { action: 'note'; text: string };

/** Conditions beyond the status: each is a 422 naming what is allowed instead. */
function stateAllows(state: CapaState, input: CapaStepInput): boolean {
  if (!stepRules[input.action].from.includes(state.status)) return false;
  switch (input.action) {
    case 'complete_action': {
      const planned = state.actions[input.index];
      return planned !== undefined && planned.doneAt === undefined;
    }
    case 'submit':
      return state.actions.every((planned) => planned.doneAt !== undefined);
    case 'verify':
      return state.verification === undefined;
    case 'close':
      return state.verification?.verdict === 'effective';
    default:
      return true;
  }
}

/** The steps this user may take now (without per-action indexes), in the table's order. */
export function allowedSteps(state: CapaState, roles: readonly DepartmentCode[]): CapaAction[] {
  return capaActions.filter((action) => {
    if (action === 'complete_action') return completableActions(state, roles).length > 0;
    const probe = probeInput(action);
    return stepRules[action].who(roles, state, probe) && stateAllows(state, probe);
  });
}

/** Indexes of the planned actions this user may record done now. */
export function completableActions(state: CapaState, roles: readonly DepartmentCode[]): number[] {
  return state.actions.flatMap((_, index) => {
    const input: CapaStepInput = { action: 'complete_action', index, result: '' };
    return stepRules.complete_action.who(roles, state, input) && stateAllows(state, input)
      ? [index]
      : [];
  });
}

function probeInput(action: Exclude<CapaAction, 'complete_action'>): CapaStepInput {
  switch (action) {
    case 'verify':
      return { action, verdict: 'effective', evidence: '' };
    case 'revise':
      return { action, actions: [], comment: '' };
    case 'note':
      return { action, text: '' };
    default:
      return { action };
  }
}

export type CapaDecision =
  | { outcome: 'allowed' }
  | { outcome: 'forbidden' }
  | { outcome: 'not_allowed'; allowed: CapaAction[] };

export function decideStep(
  state: CapaState,
  input: CapaStepInput,
  roles: readonly DepartmentCode[],
): CapaDecision {
  const rule = stepRules[input.action];
  // Whether the roles could ever take the step: for `complete_action`, on that action.
  if (!rule.who(roles, state, input)) return { outcome: 'forbidden' };
  if (!stateAllows(state, input)) {
    return { outcome: 'not_allowed', allowed: allowedSteps(state, roles) };
  }
  return { outcome: 'allowed' };
}

export interface NewCapa {
  type: CapaType;
  source: CapaSource;
  sourceNote?: string;
  problem: string;
  rootCause: string;
  actions: Omit<PlannedAction, 'doneAt' | 'doneBy' | 'result'>[];
  effectiveness: EffectivenessCheck;
  complaints: string[];
  category?: string;
  productModel?: string;
}

/** The state creation records (version 1). */
export function initialState(input: NewCapa): CapaState {
  return {
    ...input,
    actions: input.actions.map((planned) => ({ ...planned })),
    complaints: [...new Set(input.complaints)],
    status: 'open',
    version: 1,
    notEffectiveCount: 0,
  };
}

/** The state after an allowed step (the caller has checked `decideStep`); `by` names the actor. */
export function nextCapaState(
  state: CapaState,
  input: CapaStepInput,
  at: string,
  by: string,
): CapaState {
  const version = state.version + 1;
  switch (input.action) {
    case 'approve_plan':
      return { ...state, version, status: 'in_progress', planApprovedAt: at };
    case 'complete_action':
      return {
        ...state,
        version,
        actions: state.actions.map((planned, index) =>
          index === input.index
            ? { ...planned, doneAt: at, doneBy: by, result: input.result }
            : planned,
        ),
      };
    case 'submit':
      return { ...state, version, status: 'awaiting_verification' };
    case 'verify': {
      const verification: Verification = {
        verdict: input.verdict,
        evidence: input.evidence,
        at,
        by,
      };
      return input.verdict === 'effective'
        ? { ...state, version, verification }
        : {
            ...state,
            version,
            status: 'not_effective',
            verification,
            notEffectiveCount: state.notEffectiveCount + 1,
          };
    }
    case 'close':
      return { ...state, version, status: 'effective', closedAt: at };
    case 'revise': {
      const { verification: _cleared, ...rest } = state;
      return {
        ...rest,
        version,
        status: 'in_progress',
        ...(input.rootCause ? { rootCause: input.rootCause } : {}),
        actions: [...state.actions, ...input.actions.map((planned) => ({ ...planned }))],
      };
    }
    case 'note':
      return { ...state, version };
  }
}

/** The end of a China-time date, as an instant: an action due that day is overdue after it. */
export function endOfChinaDay(date: string): string {
  return new Date(Date.parse(`${date}T23:59:59.999+08:00`)).toISOString();
}

/** The earliest due time of an undone action, while the plan is being carried out. */
export function nextActionDue(state: CapaState): string | undefined {
  if (state.status !== 'in_progress' && state.status !== 'open') return undefined;
  const due = state.actions
    .filter((planned) => planned.doneAt === undefined)
    .map((planned) => endOfChinaDay(planned.dueDate))
    .sort();
  return due[0];
}

/** Undone actions past their due time at `now` (escalated once each by the schedule). */
export function overdueActions(state: CapaState, now: Date): number[] {
  if (state.status !== 'in_progress' && state.status !== 'open') return [];
  return state.actions.flatMap((planned, index) =>
    planned.doneAt === undefined && Date.parse(endOfChinaDay(planned.dueDate)) <= now.getTime()
      ? [index]
      : [],
  );
}

/** Who is told of an overdue action: its department and the GM. */
export function overdueRecipients(planned: PlannedAction): DepartmentCode[] {
  return planned.department === 'gm' ? ['gm'] : [planned.department, 'gm'];
}

const capaReferencePattern = /^CA-(\d{4})-(\d{4,})$/;

/** `CA-2026-0007`: sequential per year, four digits (more only past 9,999). */
export function formatCapaReference(year: number, sequence: number): string {
  return `CA-${year}-${String(sequence).padStart(4, '0')}`;
}

export function isCapaReference(value: string): boolean {
  return capaReferencePattern.test(value);
}

export function capaYear(reference: string): number | undefined {
  const match = capaReferencePattern.exec(reference);
  return match ? Number(match[1]) : undefined;
}
