import { describe, expect, it } from 'vitest';
import {
  areaDimensions,
  campaignDueToClose,
  campaignState,
  campaignWindow,
  defaultSurveySchedule,
  dimensionLabels,
  dimensionQuestions,
  type InvitationProgress,
  ratingDimensions,
  recommendGroup,
  reminderDecision,
  type SurveySchedule,
  surveyAreas,
  surveyCustomerKey,
  surveyScheduleProblems,
} from '#functions/domain/survey.ts';

const schedule: SurveySchedule = { openDays: 30, maxReminders: 2, reminderIntervalDays: 7 };
// 09:00 on 15 January in Shanghai.
const start = new Date('2026-01-15T01:00:00.000Z');
const campaign = campaignWindow(start, schedule);
const at = (iso: string) => new Date(iso);

describe('the questions', () => {
  it('asks about every dimension in both languages', () => {
    for (const dimension of ratingDimensions) {
      expect(dimensionLabels[dimension].zh).not.toBe('');
      expect(dimensionLabels[dimension].en).not.toBe('');
      expect(dimensionQuestions[dimension].zh).toMatch(/满意/);
      expect(dimensionQuestions[dimension].en).toMatch(/satisf/i);
    }
  });

  it('groups the dimensions into the areas of the procedure, each dimension once', () => {
    const grouped = surveyAreas.flatMap((area) => areaDimensions[area]);
    expect([...grouped].sort()).toEqual([...ratingDimensions].sort());
    expect(areaDimensions.contractPerformance).toEqual(['delivery', 'documents', 'goodsAccuracy']);
  });

  it.each([
    [0, 'detractor'],
    [6, 'detractor'],
    [7, 'passive'],
    [8, 'passive'],
    [9, 'promoter'],
    [10, 'promoter'],
  ] as const)('puts a recommend score of %i among the %s', (score, group) => {
    expect(recommendGroup(score)).toBe(group);
  });

  it('knows a customer by address, whatever its case', () => {
    expect(surveyCustomerKey(' Li@Example.CN ')).toBe('li@example.cn');
  });
});

describe('campaign window', () => {
  it('belongs to the business year it starts in and closes after the configured days', () => {
    expect(campaign).toEqual({
      year: 2026,
      openedAt: '2026-01-15T01:00:00.000Z',
      closesAt: '2026-02-14T01:00:00.000Z',
    });
    // 31 December 17:00 UTC is already 1 January in Shanghai.
    expect(campaignWindow(at('2026-12-31T17:00:00.000Z'), schedule).year).toBe(2027);
  });

  it('is open until its close, then closed', () => {
    expect(campaignState(campaign, start)).toBe('open');
    expect(campaignState(campaign, at('2026-02-14T00:59:59.999Z'))).toBe('open');
    expect(campaignState(campaign, at('2026-02-14T01:00:00.000Z'))).toBe('closed');
    expect(campaignState({ ...campaign, closedAt: '2026-01-20T00:00:00.000Z' }, start)).toBe(
      'closed',
    );
  });

  it('is due to close once, after its period', () => {
    expect(campaignDueToClose(campaign, at('2026-02-01T00:00:00.000Z'))).toBe(false);
    expect(campaignDueToClose(campaign, at('2026-02-15T00:00:00.000Z'))).toBe(true);
    expect(
      campaignDueToClose(
        { ...campaign, closedAt: '2026-02-14T01:05:00.000Z' },
        at('2026-02-15T00:00:00.000Z'),
      ),
    ).toBe(false);
  });

  it('refuses a malformed close time rather than treating it as open', () => {
    expect(() => campaignState({ closesAt: 'soon' }, start)).toThrow(/closesAt/);
  });
});

describe('schedule settings', () => {
  it('accepts the defaults and names each problem', () => {
    expect(surveyScheduleProblems(defaultSurveySchedule)).toEqual([]);
    expect(
      surveyScheduleProblems({ openDays: 0, maxReminders: 1.5, reminderIntervalDays: -1 }),
    ).toHaveLength(3);
    expect(surveyScheduleProblems({ ...schedule, maxReminders: 0 })).toEqual([]);
  });
});

describe('reminders', () => {
  const sent: InvitationProgress = { sentAt: '2026-01-15T01:10:00.000Z', remindersSent: 0 };
  const decide = (invitation: InvitationProgress, now: string) =>
    reminderDecision(invitation, campaign, schedule, at(now));

  it('waits the interval after the invitation', () => {
    expect(decide(sent, '2026-01-22T01:09:59.000Z')).toEqual({
      send: false,
      reason: 'too_soon',
      notBefore: '2026-01-22T01:10:00.000Z',
    });
    expect(decide(sent, '2026-01-22T01:10:00.000Z')).toEqual({ send: true, reminderNumber: 1 });
  });

  it('waits the interval after the last reminder, and stops at the limit', () => {
    const once = { ...sent, remindersSent: 1, lastReminderAt: '2026-01-22T02:00:00.000Z' };
    expect(decide(once, '2026-01-28T02:00:00.000Z')).toMatchObject({ reason: 'too_soon' });
    expect(decide(once, '2026-01-29T02:00:00.000Z')).toEqual({ send: true, reminderNumber: 2 });
    const twice = { ...once, remindersSent: 2, lastReminderAt: '2026-01-29T02:00:00.000Z' };
    expect(decide(twice, '2026-02-10T00:00:00.000Z')).toEqual({
      send: false,
      reason: 'limit_reached',
    });
  });

  it('sends none after an answer, before the invitation went out, or after the close', () => {
    expect(
      decide({ ...sent, answeredAt: '2026-01-16T00:00:00.000Z' }, '2026-02-01T00:00:00Z'),
    ).toEqual({
      send: false,
      reason: 'answered',
    });
    expect(decide({ remindersSent: 0 }, '2026-02-01T00:00:00.000Z')).toEqual({
      send: false,
      reason: 'not_sent',
    });
    expect(decide(sent, '2026-02-14T01:00:00.000Z')).toEqual({
      send: false,
      reason: 'campaign_closed',
    });
  });

  it('sends none when reminders are switched off', () => {
    expect(
      reminderDecision(
        sent,
        campaign,
        { ...schedule, maxReminders: 0 },
        at('2026-02-01T00:00:00Z'),
      ),
    ).toEqual({ send: false, reason: 'limit_reached' });
  });
});
