/** CAPA's lifecycle: every status × step × role, the states steps lead to, the boundary. */
import { describe, expect, it } from 'vitest';
import { parseCapaStep, parseNewCapa } from '#functions/contract/capa.ts';
import {
  allowedSteps,
  type CapaAction,
  type CapaState,
  type CapaStatus,
  type CapaStepInput,
  canCreateCapa,
  capaActions,
  capaStatuses,
  completableActions,
  decideStep,
  endOfChinaDay,
  formatCapaReference,
  initialState,
  isCapaReference,
  nextActionDue,
  nextCapaState,
  overdueActions,
} from '#functions/domain/capa.ts';
import { type DepartmentCode, departmentCodes } from '#functions/domain/departments.ts';

const newCapa = {
  type: 'corrective' as const,
  source: 'complaints' as const,
  problem: 'Seams split on model X-200',
  rootCause: 'Glue temperature drifted',
  actions: [
    {
      description: 'Recalibrate the glue line',
      department: 'production_vp' as const,
      dueDate: '2027-02-10',
    },
    {
      description: 'Inspect every batch for a month',
      department: 'qc' as const,
      dueDate: '2027-03-10',
    },
  ],
  effectiveness: { method: 'No seam complaints for 3 months', dueDate: '2027-06-30' },
  complaints: ['FB-2027-000001', 'FB-2027-000002', 'FB-2027-000001'],
};

/** Written out by hand from the issue: who may take each step (the actions' departments for `complete_action`). */
const who: Record<CapaAction, DepartmentCode[]> = {
  approve_plan: ['gm'],
  complete_action: ['gm', 'production_vp'],
  submit: ['gm', 'production_vp', 'qc', 'sales', 'export'],
  verify: ['qc'],
  close: ['gm'],
  revise: ['gm', 'production_vp', 'qc', 'sales', 'export'],
  note: ['gm', 'production_vp', 'qc', 'sales', 'export'],
};
const from: Record<CapaAction, CapaStatus[]> = {
  approve_plan: ['open'],
  complete_action: ['in_progress'],
  submit: ['in_progress'],
  verify: ['awaiting_verification'],
  close: ['awaiting_verification'],
  revise: ['not_effective'],
  note: ['open', 'in_progress', 'awaiting_verification', 'not_effective'],
};

function inputFor(action: CapaAction): CapaStepInput {
  switch (action) {
    case 'complete_action':
      return { action, index: 0, result: 'done' };
    case 'verify':
      return { action, verdict: 'effective', evidence: 'No complaints since' };
    case 'revise':
      return {
        action,
        comment: 'Second try',
        actions: [
          { description: 'Replace the heater', department: 'production_vp', dueDate: '2027-04-01' },
        ],
      };
    case 'note':
      return { action, text: 'Called the supplier' };
    default:
      return { action };
  }
}

/** A state in `status` where each step's other conditions hold (actions done, QC found it effective). */
function stateIn(status: CapaStatus, action: CapaAction): CapaState {
  const base = { ...initialState(newCapa), status, version: 4 };
  if (action === 'submit') {
    return { ...base, actions: base.actions.map((planned) => ({ ...planned, doneAt: 'x' })) };
  }
  if (action === 'close') {
    return { ...base, verification: { verdict: 'effective', evidence: 'e', at: 'a', by: 'b' } };
  }
  return base;
}

describe('who may take which step in which status', () => {
  for (const action of capaActions) {
    for (const status of capaStatuses) {
      for (const role of departmentCodes) {
        const expected = who[action].includes(role)
          ? from[action].includes(status)
            ? 'allowed'
            : 'not_allowed'
          : 'forbidden';
        it(`${action} in ${status} by ${role}: ${expected}`, () => {
          expect(decideStep(stateIn(status, action), inputFor(action), [role]).outcome).toBe(
            expected,
          );
        });
      }
    }
  }

  it('lets only the owners, qc, production_vp and gm create', () => {
    expect(departmentCodes.filter((role) => canCreateCapa([role]))).toEqual([
      'gm',
      'production_vp',
      'qc',
      'sales',
      'export',
    ]);
  });

  it('lets an action be recorded done by its own department only (and the GM), once', () => {
    const state = { ...initialState(newCapa), status: 'in_progress' as const };
    expect(completableActions(state, ['qc'])).toEqual([1]);
    expect(completableActions(state, ['production_vp'])).toEqual([0]);
    expect(completableActions(state, ['gm'])).toEqual([0, 1]);
    expect(completableActions(state, ['office'])).toEqual([]);
    const after = nextCapaState(
      state,
      { action: 'complete_action', index: 1, result: 'ok' },
      't',
      'QC',
    );
    expect(completableActions(after, ['qc'])).toEqual([]);
    expect(
      decideStep(after, { action: 'complete_action', index: 1, result: 'again' }, ['qc']),
    ).toEqual({
      outcome: 'not_allowed',
      allowed: ['note'],
    });
  });

  it('submits for verification only when every action is done', () => {
    const state = { ...initialState(newCapa), status: 'in_progress' as const };
    expect(decideStep(state, { action: 'submit' }, ['sales']).outcome).toBe('not_allowed');
    expect(allowedSteps(state, ['sales'])).toEqual(['note']);
  });

  it('closes only after QC found it effective, and QC verifies once per round', () => {
    const state = { ...initialState(newCapa), status: 'awaiting_verification' as const };
    expect(decideStep(state, { action: 'close' }, ['gm']).outcome).toBe('not_allowed');
    const verified = nextCapaState(
      state,
      { action: 'verify', verdict: 'effective', evidence: 'e' },
      't',
      'QC',
    );
    expect(verified.status).toBe('awaiting_verification');
    expect(decideStep(verified, { action: 'close' }, ['gm']).outcome).toBe('allowed');
    expect(
      decideStep(verified, { action: 'verify', verdict: 'effective', evidence: 'e' }, ['qc'])
        .outcome,
    ).toBe('not_allowed');
  });
});

describe('the states the steps lead to', () => {
  it('walks open → in_progress → awaiting_verification → not_effective → in_progress → effective', () => {
    let state = initialState(newCapa);
    expect(state).toMatchObject({ status: 'open', version: 1, notEffectiveCount: 0 });
    expect(state.complaints).toEqual(['FB-2027-000001', 'FB-2027-000002']);
    state = nextCapaState(state, { action: 'approve_plan' }, '2027-01-20T01:00:00.000Z', 'GM');
    expect(state).toMatchObject({
      status: 'in_progress',
      version: 2,
      planApprovedAt: '2027-01-20T01:00:00.000Z',
    });
    state = nextCapaState(state, { action: 'complete_action', index: 0, result: 'r' }, 't1', 'VP');
    state = nextCapaState(state, { action: 'complete_action', index: 1, result: 'r' }, 't2', 'QC');
    expect(state.actions.map((planned) => planned.doneBy)).toEqual(['VP', 'QC']);
    state = nextCapaState(state, { action: 'submit' }, 't3', 'Sales');
    expect(state.status).toBe('awaiting_verification');
    state = nextCapaState(
      state,
      { action: 'verify', verdict: 'not_effective', evidence: 'Still' },
      't4',
      'QC',
    );
    expect(state).toMatchObject({ status: 'not_effective', notEffectiveCount: 1 });
    state = nextCapaState(state, inputFor('revise'), 't5', 'Sales');
    expect(state.status).toBe('in_progress');
    expect(state.verification).toBeUndefined();
    expect(state.actions).toHaveLength(3);
    expect(completableActions(state, ['production_vp'])).toEqual([2]);
    state = nextCapaState(state, { action: 'complete_action', index: 2, result: 'r' }, 't6', 'VP');
    state = nextCapaState(state, { action: 'submit' }, 't7', 'Sales');
    state = nextCapaState(
      state,
      { action: 'verify', verdict: 'effective', evidence: 'OK' },
      't8',
      'QC',
    );
    state = nextCapaState(state, { action: 'close' }, 't9', 'GM');
    expect(state).toMatchObject({ status: 'effective', closedAt: 't9', version: 11 });
    expect(allowedSteps(state, ['gm'])).toEqual([]);
  });
});

describe('overdue actions', () => {
  it('are due at the end of their China-time day, and only while the plan is carried out', () => {
    expect(endOfChinaDay('2027-02-10')).toBe('2027-02-10T15:59:59.999Z');
    const state = { ...initialState(newCapa), status: 'in_progress' as const };
    expect(nextActionDue(state)).toBe('2027-02-10T15:59:59.999Z');
    expect(overdueActions(state, new Date('2027-02-10T15:59:59.000Z'))).toEqual([]);
    expect(overdueActions(state, new Date('2027-02-10T16:00:00.000Z'))).toEqual([0]);
    expect(overdueActions(state, new Date('2027-04-01T00:00:00.000Z'))).toEqual([0, 1]);
    const done = nextCapaState(
      state,
      { action: 'complete_action', index: 0, result: 'r' },
      't',
      'VP',
    );
    expect(overdueActions(done, new Date('2027-04-01T00:00:00.000Z'))).toEqual([1]);
    expect(nextActionDue(done)).toBe('2027-03-10T15:59:59.999Z');
    expect(
      overdueActions({ ...done, status: 'awaiting_verification' }, new Date('2028-01-01')),
    ).toEqual([]);
    expect(nextActionDue({ ...done, status: 'effective' })).toBeUndefined();
  });
});

describe('references and the boundary', () => {
  it('formats CA-YYYY-NNNN per year', () => {
    expect(formatCapaReference(2026, 7)).toBe('CA-2026-0007');
    expect(isCapaReference('CA-2026-0007')).toBe(true);
    expect(isCapaReference('FB-2026-000007')).toBe(false);
    expect(isCapaReference('CA-2026-7')).toBe(false);
  });

  it('reads the console form: numbered action rows, empty rows left out, a comma list of complaints', () => {
    const parsed = parseNewCapa({
      csrf: 'x',
      type: 'corrective',
      source: 'complaints',
      complaints: 'FB-2027-000001, FB-2027-000002',
      problem: 'p',
      rootCause: 'r',
      actions: {
        '1': { description: 'second', department: 'qc', dueDate: '2027-03-01' },
        '0': { description: 'first', department: 'sales', dueDate: '2027-02-01' },
        '2': { description: '', department: '', dueDate: '' },
      },
      effectiveness: { method: 'm', dueDate: '2027-06-01' },
      category: '',
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        type: 'corrective',
        source: 'complaints',
        problem: 'p',
        rootCause: 'r',
        actions: [
          { description: 'first', department: 'sales', dueDate: '2027-02-01' },
          { description: 'second', department: 'qc', dueDate: '2027-03-01' },
        ],
        effectiveness: { method: 'm', dueDate: '2027-06-01' },
        complaints: ['FB-2027-000001', 'FB-2027-000002'],
      },
    });
  });

  it('refuses what it must', () => {
    const bad = parseNewCapa({
      type: 'curative',
      source: 'complaints',
      problem: '',
      rootCause: 'r',
      actions: [{ description: 'd', department: 'janitor', dueDate: '2027-13-45' }],
      effectiveness: { method: 'm', dueDate: 'soon' },
      complaints: ['CA-2027-0001'],
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(Object.keys(bad.errors).sort()).toEqual([
      'actions.0.department',
      'actions.0.dueDate',
      'complaints.0',
      'effectiveness.dueDate',
      'problem',
      'type',
    ]);
    const noComplaints = parseNewCapa({ ...newCapa, complaints: [] });
    expect(noComplaints.ok).toBe(false);
    expect(parseNewCapa({ ...newCapa, source: 'survey', complaints: [] }).ok).toBe(true);
    expect(
      parseCapaStep({ action: 'verify', version: '3', verdict: 'maybe', evidence: 'e' }).ok,
    ).toBe(false);
    expect(
      parseCapaStep({ action: 'verify', version: '3', verdict: 'effective', evidence: 'e' }),
    ).toEqual({
      ok: true,
      value: { version: 3, input: { action: 'verify', verdict: 'effective', evidence: 'e' } },
    });
  });
});
