import { describe, expect, it } from 'vitest';
import { publicTimeline } from '#functions/domain/public-timeline.ts';
import { countryTimeZone, customerTimeZone, formatLocalTime } from '#functions/web/local-time.ts';

const received = {
  status: 'received' as const,
  createdAt: '2026-11-28T14:22:08.807Z',
  updatedAt: '2026-11-28T14:22:08.807Z',
};
const assessment = {
  severity: 'normal' as const,
  reasons: [],
  firstResponseDueAt: '2026-11-29T14:22:08.807Z',
  resolutionDueAt: '2026-12-05T14:22:08.807Z',
};

describe('the public timeline', () => {
  it('starts with the receipt and says routing comes next', () => {
    expect(publicTimeline(received)).toEqual({
      steps: [{ status: 'received', at: received.createdAt }],
      next: { kind: 'routing' },
    });
  });

  it('adds routing and promises the first response by its due date', () => {
    const routed = {
      ...received,
      status: 'routed' as const,
      routing: { routedAt: '2026-11-28T14:22:09.000Z', assignments: [] },
      assessment,
    };
    expect(publicTimeline(routed)).toEqual({
      steps: [
        { status: 'received', at: received.createdAt },
        { status: 'routed', at: '2026-11-28T14:22:09.000Z' },
      ],
      next: { kind: 'first_response', dueAt: assessment.firstResponseDueAt },
    });
  });
});

describe('local times', () => {
  it('uses China Standard Time for domestic customers and a one-clock country zone for export', () => {
    const now = new Date('2026-11-28T14:22:09.000Z');
    expect(customerTimeZone({ market: 'domestic', region: 'CN-GD' }, now)).toBe('Asia/Shanghai');
    expect(customerTimeZone({ market: 'export', region: 'DE' }, now)).toBe('Europe/Berlin');
    expect(countryTimeZone('US', now)).toBeUndefined();
    expect(customerTimeZone({ market: 'export', region: 'US' }, now)).toBe('UTC');
  });

  it('names the zone', () => {
    expect(formatLocalTime(received.createdAt, 'zh', 'Asia/Shanghai')).toBe(
      '2026年11月28日 22:22（中国标准时间）',
    );
    expect(formatLocalTime(received.createdAt, 'en', 'Europe/Berlin')).toBe(
      '28 November 2026 at 15:22 (Central European Standard Time)',
    );
  });
});
