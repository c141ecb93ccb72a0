/** The lifecycle: every status × action × role, the states actions lead to, the action fields. */
import { describe, expect, it } from 'vitest';
import { parseCaseAction } from '#functions/contract/case-actions.ts';
import {
  allowedActions,
  answerState,
  type CaseAction,
  type CaseParties,
  type CaseState,
  caseActions,
  decide,
  nextState,
  overdueLevels,
  type Proposal,
  publicTimeline,
} from '#functions/domain/case-lifecycle.ts';
import { type ComplaintStatus, statuses } from '#functions/domain/complaint.ts';
import { type DepartmentCode, departmentCodes } from '#functions/domain/departments.ts';
import { defaultRoutingPolicy } from '#functions/domain/routing.ts';

const domesticQuality: CaseParties = {
  market: 'domestic',
  assigned: ['gm', 'sales', 'production_vp', 'qc'],
};

/** Written out by hand from the table, for a domestic quality complaint (owner: sales). */
const who: Record<CaseAction, DepartmentCode[]> = {
  accept: ['gm', 'sales'],
  note: ['gm', 'sales', 'production_vp', 'qc', 'office'],
  investigate: ['production_vp', 'qc'],
  propose: ['gm', 'sales'],
  approve: ['gm'],
  reject: ['gm'],
  respond: ['gm', 'sales'],
  close: ['gm', 'sales'],
  reopen: ['gm', 'sales'],
};
const from: Record<CaseAction, ComplaintStatus[]> = {
  accept: ['routed', 'reopened'],
  note: statuses.filter((status) => status !== 'received'),
  investigate: ['routed', 'in_progress', 'awaiting_approval', 'reopened'],
  propose: ['in_progress'],
  approve: ['awaiting_approval'],
  reject: ['awaiting_approval'],
  // With a proposal that needs no approval (or has it): see the state below.
  respond: ['in_progress'],
  close: ['responded'],
  reopen: ['responded', 'closed'],
};

const proposal: Proposal = {
  remedy: { type: 'repair' },
  response: { text: 'We repair it.' },
  approval: 'not_needed',
  proposedAt: '2027-01-11T02:00:00.000Z',
};

function state(status: ComplaintStatus): CaseState {
  return { status, version: 3, proposal };
}

describe('the transition table', () => {
  for (const status of statuses) {
    for (const action of caseActions) {
      for (const role of departmentCodes) {
        const expected = !who[action].includes(role)
          ? 'forbidden'
          : from[action].includes(status)
            ? 'allowed'
            : 'not_allowed';
        it(`${status} × ${action} × ${role} → ${expected}`, () => {
          const decision = decide(state(status), action, [role], domesticQuality);
          expect(decision.outcome).toBe(expected);
          if (decision.outcome === 'not_allowed') {
            expect(decision.allowed).not.toContain(action);
            expect(decision.allowed).toEqual(
              allowedActions(state(status), [role], domesticQuality),
            );
          }
        });
      }
    }
  }

  it('makes export the owner of export complaints, and not sales', () => {
    const parties: CaseParties = { market: 'export', assigned: ['gm', 'export'] };
    expect(decide(state('routed'), 'accept', ['export'], parties).outcome).toBe('allowed');
    expect(decide(state('routed'), 'accept', ['sales'], parties).outcome).toBe('forbidden');
    expect(decide(state('routed'), 'note', ['sales'], parties).outcome).toBe('forbidden');
  });

  it('lets qc and production_vp investigate only when assigned', () => {
    const parties: CaseParties = { market: 'domestic', assigned: ['gm', 'sales'] };
    expect(decide(state('in_progress'), 'investigate', ['qc'], parties).outcome).toBe('forbidden');
    expect(decide(state('in_progress'), 'note', ['qc'], parties).outcome).toBe('forbidden');
  });

  it('lets a user with several roles do what any of them may', () => {
    expect(allowedActions(state('awaiting_approval'), ['qc', 'gm'], domesticQuality)).toEqual([
      'note',
      'investigate',
      'approve',
      'reject',
    ]);
  });

  it('allows respond only with a proposal that needs no approval or has it', () => {
    const base = state('in_progress');
    const { proposal: _none, ...noProposal } = base;
    expect(decide(noProposal, 'respond', ['sales'], domesticQuality).outcome).toBe('not_allowed');
    for (const approval of ['pending', 'rejected'] as const) {
      const waiting = { ...base, proposal: { ...proposal, approval } };
      expect(decide(waiting, 'respond', ['sales'], domesticQuality).outcome).toBe('not_allowed');
    }
    const approved = { ...base, proposal: { ...proposal, approval: 'approved' as const } };
    expect(decide(approved, 'respond', ['sales'], domesticQuality).outcome).toBe('allowed');
  });
});

describe('the states actions lead to', () => {
  const at = '2027-01-11T03:00:00.000Z';
  const routed: CaseState = { status: 'routed', version: 0 };

  it('walks the compensation path through approval to the response and a reopening', () => {
    const accepted = nextState(routed, { action: 'accept' }, at, defaultRoutingPolicy);
    expect(accepted).toEqual({ status: 'in_progress', version: 1, firstResponseAt: at });
    const proposed = nextState(
      accepted,
      {
        action: 'propose',
        remedy: { type: 'compensation', amount: 5000, currency: 'CNY' },
        response: { text: 'We compensate.' },
      },
      at,
      defaultRoutingPolicy,
    );
    expect(proposed.status).toBe('awaiting_approval');
    expect(proposed.proposal?.approval).toBe('pending');
    const rejected = nextState(
      proposed,
      { action: 'reject', comment: 'Too much' },
      at,
      defaultRoutingPolicy,
    );
    expect(rejected).toMatchObject({ status: 'in_progress', version: 3 });
    expect(rejected.proposal?.approval).toBe('rejected');
    const approved = nextState(proposed, { action: 'approve' }, at, defaultRoutingPolicy);
    expect(approved.proposal?.approval).toBe('approved');
    const responded = nextState(approved, { action: 'respond' }, at, defaultRoutingPolicy);
    expect(responded).toMatchObject({ status: 'responded', respondedAt: at, version: 4 });
    const reopened = answerState(responded, 'not_satisfied', at);
    expect(reopened).toEqual({ status: 'reopened', version: 5, firstResponseAt: at });
    expect(answerState(responded, 'satisfied', at)).toMatchObject({
      status: 'closed',
      closedAt: at,
    });
  });

  it('needs no approval for a repair, unless the policy names it', () => {
    const input = {
      action: 'propose',
      remedy: { type: 'repair' },
      response: { text: 'We repair it.' },
    } as const;
    const accepted: CaseState = { status: 'in_progress', version: 1, firstResponseAt: at };
    expect(nextState(accepted, input, at, defaultRoutingPolicy).status).toBe('in_progress');
    const strict = { ...defaultRoutingPolicy, approvalRemedies: ['repair' as const] };
    expect(nextState(accepted, input, at, strict).status).toBe('awaiting_approval');
  });

  it('finds what is overdue: the first response until given, the resolution until responded', () => {
    const due = {
      firstResponseDueAt: '2027-01-11T05:00:00.000Z',
      resolutionDueAt: '2027-01-14T01:00:00.000Z',
    };
    expect(overdueLevels(routed, due, new Date('2027-01-11T04:59:59Z'))).toEqual([]);
    expect(overdueLevels(routed, due, new Date('2027-01-11T05:00:00Z'))).toEqual([
      'first_response',
    ]);
    expect(overdueLevels(routed, due, new Date('2027-01-15T00:00:00Z'))).toEqual([
      'first_response',
      'resolution',
    ]);
    const accepted: CaseState = { status: 'in_progress', version: 1, firstResponseAt: at };
    expect(overdueLevels(accepted, due, new Date('2027-01-15T00:00:00Z'))).toEqual(['resolution']);
    expect(
      overdueLevels({ ...accepted, status: 'responded' }, due, new Date('2027-01-15T00:00:00Z')),
    ).toEqual([]);
  });
});

describe('the public timeline', () => {
  it('shows received, handling, response, reopening and close, and nothing internal', () => {
    const event = (type: string, status: ComplaintStatus, at: string) => ({
      type,
      at,
      state: { status },
    });
    expect(
      publicTimeline('t0', [
        event('investigate', 'routed', 't1'),
        event('accept', 'in_progress', 't2'),
        event('note', 'in_progress', 't3'),
        event('propose', 'awaiting_approval', 't4'),
        event('approve', 'in_progress', 't5'),
        event('respond', 'responded', 't6'),
        event('customer_answer', 'reopened', 't7'),
        event('accept', 'in_progress', 't8'),
        event('close', 'closed', 't9'),
      ]).map(({ step, at }) => `${step}@${at}`),
    ).toEqual([
      'received@t0',
      'handling@t2',
      'responded@t6',
      'reopened@t7',
      'handling@t8',
      'closed@t9',
    ]);
  });
});

describe('the action fields', () => {
  it('accepts each action with its fields, numbers from forms included', () => {
    expect(parseCaseAction({ action: 'accept', version: 0 })).toEqual({
      ok: true,
      value: { version: 0, input: { action: 'accept' } },
    });
    expect(
      parseCaseAction({
        action: 'propose',
        version: '2',
        remedy: { type: 'compensation', amount: '1200.50', currency: 'cny' },
        response: { text: ' We pay. ' },
        csrf: 'x',
      }),
    ).toEqual({
      ok: true,
      value: {
        version: 2,
        input: {
          action: 'propose',
          remedy: { type: 'compensation', amount: 1200.5, currency: 'CNY' },
          response: { text: 'We pay.' },
        },
      },
    });
  });

  it('names each bad field', () => {
    const refused = (input: unknown) => {
      const result = parseCaseAction(input);
      return result.ok ? {} : result.errors;
    };
    expect(Object.keys(refused({ action: 'fly', version: 1 }))).toEqual(['action']);
    expect(Object.keys(refused({ action: 'note', version: -1, text: '' })).sort()).toEqual([
      'text',
      'version',
    ]);
    expect(Object.keys(refused({ action: 'reject', version: 1 }))).toEqual(['comment']);
    expect(
      Object.keys(
        refused({
          action: 'propose',
          version: 1,
          remedy: { type: 'compensation' },
          response: { text: 'x' },
        }),
      ),
    ).toEqual(['remedy.amount']);
    expect(Object.keys(refused({ action: 'investigate', version: 1, rootCause: 'x' }))).toEqual([
      'correctiveAction',
    ]);
  });
});
