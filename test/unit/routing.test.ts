/** The routing rules of the procedure, and the notifications and messages that follow from them. */
import { describe, expect, it } from 'vitest';
import { parseRoutingPolicy } from '#functions/contract/configuration.ts';
import { notificationMessage, parseMessage } from '#functions/contract/messages.ts';
import { notificationKey } from '#functions/domain/notifications.ts';
import type { Outlet } from '#functions/domain/outlets.ts';
import { outletCovering } from '#functions/domain/outlets.ts';
import {
  assessSeverity,
  assignmentsFor,
  decideRouting,
  defaultRoutingPolicy,
  dueDates,
  notificationsFor,
  type RoutableComplaint,
  type RoutingPolicy,
  roleOf,
  safetyWordsIn,
} from '#functions/domain/routing.ts';
import { classifySendFailure } from '#functions/email/mailer.ts';

const policy = defaultRoutingPolicy;

function complaint(overrides: Partial<RoutableComplaint> = {}): RoutableComplaint {
  return {
    category: 'quality',
    customer: {
      name: '李明',
      email: 'li.ming@customer.example',
      market: 'domestic',
      region: 'CN-GD',
    },
    subject: '型材表面氧化膜脱落',
    description: '第 118 批次到货后发现氧化膜局部脱落。',
    createdAt: '2026-03-02T01:00:00.000Z',
    ...overrides,
  };
}

const exportCustomer = {
  name: 'Anna Schmidt',
  email: 'anna@kunde.example',
  market: 'export' as const,
  region: 'DE',
};

const outlets: Outlet[] = [
  {
    id: 'south-china',
    name: { zh: '华南服务网点', en: 'South China outlet' },
    email: 'south@example.com',
    regions: ['CN-GD', 'CN-GX', 'CN-HI'],
    language: 'zh',
  },
  {
    id: 'europe-agent',
    name: { zh: '欧洲代理', en: 'European agent' },
    email: 'eu@example.com',
    regions: ['DE', 'FR', 'NL'],
    language: 'en',
  },
  {
    id: 'a-second-guangdong-outlet',
    name: { zh: '深圳网点', en: 'Shenzhen outlet' },
    email: 'sz@example.com',
    regions: ['CN-GD'],
    language: 'zh',
  },
];

const departmentsOf = (input: RoutableComplaint, rules: RoutingPolicy = policy) =>
  assignmentsFor(input, rules).map((assignment) => `${assignment.department}:${assignment.role}`);

describe('who is told', () => {
  it('tells the GM of every complaint, and gives the domestic one to sales', () => {
    expect(departmentsOf(complaint({ category: 'delivery' }))).toEqual([
      'gm:informed',
      'sales:owner',
    ]);
  });

  it('gives an export customer’s complaint to export, not sales', () => {
    expect(departmentsOf(complaint({ category: 'contract', customer: exportCustomer }))).toEqual([
      'gm:informed',
      'export:owner',
    ]);
  });

  it('adds production_vp (analysis) and qc (root cause) for quality and goods not as ordered', () => {
    for (const category of ['quality', 'wrong_goods'] as const) {
      expect(departmentsOf(complaint({ category }))).toEqual([
        'gm:informed',
        'sales:owner',
        'production_vp:analysis',
        'qc:root_cause',
      ]);
    }
    for (const category of ['delivery', 'service', 'suggestion', 'onsite_service'] as const) {
      expect(departmentsOf(complaint({ category }))).not.toContain('qc:root_cause');
    }
  });

  it('asks the GM to approve a compensation claim', () => {
    expect(departmentsOf(complaint({ claim: { type: 'compensation', amount: 800 } }))[0]).toBe(
      'gm:approval',
    );
  });

  it('follows the policy for what counts as product quality', () => {
    const wider = {
      ...policy,
      productQualityCategories: [...policy.productQualityCategories, 'delivery' as const],
    };
    expect(departmentsOf(complaint({ category: 'delivery' }), wider)).toContain('qc:root_cause');
  });
});

describe('the outlet', () => {
  const routedAt = new Date('2026-03-02T02:00:00.000Z');
  it('is told where local service is asked for and an outlet covers the region', () => {
    const route = (input: RoutableComplaint) =>
      decideRouting(input, { policy, outlets }, routedAt).decision.outlet;
    expect(route(complaint({ category: 'onsite_service' }))).toEqual({
      id: 'a-second-guangdong-outlet',
      role: 'local_service',
    });
    expect(route(complaint({ category: 'technical_support', customer: exportCustomer }))).toEqual({
      id: 'europe-agent',
      role: 'local_service',
    });
    expect(
      route(complaint({ category: 'quality', customer: { ...exportCustomer, region: 'FR' } })),
    ).toEqual({ id: 'europe-agent', role: 'local_service' });
  });

  it('is not told for other categories, nor where no outlet covers the region', () => {
    const route = (input: RoutableComplaint) =>
      decideRouting(input, { policy, outlets }, routedAt).decision.outlet;
    expect(route(complaint({ category: 'suggestion' }))).toBeUndefined();
    expect(route(complaint({ category: 'wrong_goods' }))).toBeUndefined();
    expect(
      route(
        complaint({ category: 'onsite_service', customer: { ...exportCustomer, region: 'US' } }),
      ),
    ).toBeUndefined();
  });

  it('is chosen stably when several cover a region: the first by id', () => {
    expect(outletCovering('CN-GD', outlets)?.id).toBe('a-second-guangdong-outlet');
    expect(outletCovering('cn-gx', outlets)?.id).toBe('south-china');
    expect(outletCovering('CN-XJ', outlets)).toBeUndefined();
  });
});

describe('severity', () => {
  it('is high for a compensation claim or a safety word', () => {
    expect(assessSeverity(complaint({ claim: { type: 'compensation' } }), policy)).toEqual({
      severity: 'high',
      reasons: ['compensation_claim'],
    });
    expect(
      assessSeverity(complaint({ description: '幕墙连接件断裂，险些砸伤行人。' }), policy),
    ).toEqual({ severity: 'high', reasons: ['safety_concern'] });
    expect(
      assessSeverity(
        complaint({ category: 'suggestion', subject: 'Profile caught fire during cutting' }),
        policy,
      ).severity,
    ).toBe('high');
  });

  it('matches English safety words as whole words only', () => {
    expect(safetyWordsIn('The order was fired off late', policy.safetyWords)).toEqual([]);
    expect(safetyWordsIn('A worker was injured.', policy.safetyWords)).toEqual(['injured']);
    expect(safetyWordsIn('存在安全隐患', policy.safetyWords)).toEqual(['安全']);
  });

  it('is normal for quality problems and returns, low for suggestions', () => {
    expect(assessSeverity(complaint(), policy)).toEqual({
      severity: 'normal',
      reasons: ['product_quality'],
    });
    expect(
      assessSeverity(complaint({ category: 'delivery', claim: { type: 'return' } }), policy),
    ).toEqual({ severity: 'normal', reasons: ['return_or_exchange'] });
    expect(assessSeverity(complaint({ category: 'delivery' }), policy)).toEqual({
      severity: 'normal',
      reasons: [],
    });
    expect(assessSeverity(complaint({ category: 'suggestion' }), policy)).toEqual({
      severity: 'low',
      reasons: ['low_severity_category'],
    });
  });

  it('sets due dates from receipt by the policy’s targets, in working hours', () => {
    expect(dueDates('high', '2026-03-02T01:00:00.000Z', policy)).toEqual({
      firstResponseDueAt: '2026-03-02T05:00:00.000Z',
      resolutionDueAt: '2026-03-05T01:00:00.000Z',
    });
    expect(dueDates('normal', '2026-03-02T01:00:00.000Z', policy)).toEqual({
      firstResponseDueAt: '2026-03-03T01:00:00.000Z',
      resolutionDueAt: '2026-03-09T01:00:00.000Z',
    });
    const { assessment } = decideRouting(
      complaint({ category: 'suggestion' }),
      { policy, outlets: [] },
      new Date('2026-03-02T02:00:00.000Z'),
    );
    expect(assessment).toEqual({
      severity: 'low',
      reasons: ['low_severity_category'],
      firstResponseDueAt: '2026-03-05T01:00:00.000Z',
      resolutionDueAt: '2026-03-30T01:00:00.000Z',
    });
  });

  it('does not let a complaint at 22:00 fall due in the night, and skips the calendar’s holidays', () => {
    // Monday 22:00 China time: four working hours are Tuesday 08:30–12:30.
    expect(dueDates('high', '2026-03-02T14:00:00.000Z', policy).firstResponseDueAt).toBe(
      '2026-03-03T04:30:00.000Z',
    );
    const withHoliday = {
      ...policy,
      calendar: { holidays: ['2026-03-03'], workingWeekendDays: [] },
    };
    expect(dueDates('high', '2026-03-02T14:00:00.000Z', withHoliday).firstResponseDueAt).toBe(
      '2026-03-04T04:30:00.000Z',
    );
    expect(parseRoutingPolicy(withHoliday)).toEqual(withHoliday);
  });
});

describe('notifications', () => {
  it('acknowledges the customer and alerts each party once', () => {
    const { decision } = decideRouting(
      complaint({ category: 'onsite_service' }),
      { policy, outlets },
      new Date('2026-03-02T02:00:00.000Z'),
    );
    expect(notificationsFor(decision).map(notificationKey)).toEqual([
      'received:customer',
      'routed:department:gm',
      'routed:department:sales',
      'routed:outlet:a-second-guangdong-outlet',
    ]);
    expect(roleOf(decision, { kind: 'department', code: 'sales' })).toBe('owner');
    expect(roleOf(decision, { kind: 'department', code: 'qc' })).toBeUndefined();
    expect(roleOf(decision, { kind: 'outlet', id: 'a-second-guangdong-outlet' })).toBe(
      'local_service',
    );
  });

  it('accepts only notification messages that name an event and a matching recipient', () => {
    const parse = (value: unknown) => parseMessage(notificationMessage, JSON.stringify(value));
    expect(
      parse({ complaintId: 'c1', event: 'routed', recipient: { kind: 'department', code: 'qc' } }),
    ).toEqual({
      complaintId: 'c1',
      event: 'routed',
      recipient: { kind: 'department', code: 'qc' },
    });
    expect(
      parse({ complaintId: 'c1', event: 'received', recipient: { kind: 'customer' } }),
    ).toBeDefined();
    for (const invalid of [
      { complaintId: 'c1', event: 'received', recipient: { kind: 'department', code: 'qc' } },
      { complaintId: 'c1', event: 'routed', recipient: { kind: 'customer' } },
      { complaintId: 'c1', event: 'routed', recipient: { kind: 'department', code: 'ceo' } },
      { complaintId: 'c1', event: 'routed', recipient: { kind: 'outlet', id: 'Bad Id' } },
      { complaintId: '', event: 'received', recipient: { kind: 'customer' } },
    ]) {
      expect(parse(invalid)).toBeUndefined();
    }
    expect(parseMessage(notificationMessage, 'not json')).toBeUndefined();
  });
});

describe('configuration', () => {
  it('reads a stored routing policy and refuses a broken one', () => {
    expect(parseRoutingPolicy({ pk: 'CONFIG', sk: 'ROUTING#policy', ...policy })).toEqual(policy);
    expect(() => parseRoutingPolicy({ ...policy, productQualityCategories: ['qualty'] })).toThrow();
  });
});

describe('SES errors', () => {
  const named = (name: string) => Object.assign(new Error('x'), { name });
  it('treats a refusal as permanent and everything else as worth retrying', () => {
    expect(classifySendFailure(named('MessageRejected'))).toBe('permanent');
    expect(classifySendFailure(named('BadRequestException'))).toBe('permanent');
    for (const name of [
      'TooManyRequestsException',
      'LimitExceededException',
      'SendingPausedException',
      'InternalFailure',
      'TimeoutError',
      'Error',
    ]) {
      expect(classifySendFailure(named(name))).toBe('transient');
    }
    expect(classifySendFailure('not even an error')).toBe('transient');
  });
});
