import { describe, expect, it } from 'vitest';
import {
  complaintGroupOf,
  handlingOutcome,
  inSurveyWindow,
} from '#functions/domain/customer-history.ts';
import {
  isOfflineAddress,
  normaliseSurveyCode,
  offlineCustomerAddress,
  surveyCode,
} from '#functions/domain/survey-channels.ts';
import { tallySurvey } from '#functions/domain/survey-statistics.ts';
import { surveyReportCsv, surveyReportEmail } from '#functions/reports/survey-report.ts';
import { response } from './survey-fixtures.ts';

describe('survey codes and offline addresses', () => {
  it('gives each customer and year one short code, stable and readable back however typed', () => {
    const code = surveyCode(2027, 'Buyer@Example.com');
    expect(code).toMatch(/^27-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(surveyCode(2027, ' buyer@example.com ')).toBe(code);
    expect(surveyCode(2028, 'buyer@example.com')).not.toBe(code);
    expect(surveyCode(2027, 'other@example.com')).not.toBe(code);
    expect(normaliseSurveyCode(code.toLowerCase().replaceAll('-', ' '))).toBe(
      normaliseSurveyCode(code),
    );
    expect(normaliseSurveyCode('27-ol0i')).toBe('27010' + '1');
  });

  it('keys a customer without an email address by channel and number, never a mailable address', () => {
    const address = offlineCustomerAddress('phone', '+86 (20) 1234-5678');
    expect(address).toBe(offlineCustomerAddress('phone', '+862012345678'));
    expect(address).not.toBe(offlineCustomerAddress('fax', '+862012345678'));
    expect(isOfflineAddress(address)).toBe(true);
    expect(isOfflineAddress('li@example.cn')).toBe(false);
  });
});

describe('the tally by channel', () => {
  const email = response(
    'e@x.example',
    'domestic',
    'CN-GD',
    '2027-01-16T02:00:00Z',
    [5, 5, 5, 5, 5, 5],
    10,
  );
  const phone = {
    ...response('p@x.example', 'domestic', 'CN-GD', '2027-01-17T02:00:00Z', [3, 3, 3, 3, 3, 3], 6),
    channel: 'phone' as const,
  };
  const post = {
    ...response('q@x.example', 'export', 'DE', '2027-01-18T02:00:00Z', [1, 1, 1, 1, 1, 1], 0),
    channel: 'post' as const,
  };
  const tally = tallySurvey({
    year: 2027,
    invited: { total: 8, byChannel: { email: 4, phone: 2, post: 2 } },
    responses: [email, phone, post, { ...phone, answeredAt: '2027-01-20T00:00:00Z' }],
  });

  it('counts every channel once in one tally and splits rate and index by channel', () => {
    expect(tally.responses).toBe(3);
    expect(tally.responseRate).toBe(3 / 8);
    expect(tally.satisfactionIndex).toBeCloseTo(50);
    expect(tally.byChannel.email).toMatchObject({
      invited: 4,
      responses: 1,
      responseRate: 0.25,
      satisfactionIndex: 100,
    });
    expect(tally.byChannel.phone).toMatchObject({
      invited: 2,
      responses: 1,
      responseRate: 0.5,
      satisfactionIndex: 50,
    });
    expect(tally.byChannel.post).toMatchObject({ invited: 2, responses: 1, satisfactionIndex: 0 });
    expect(tally.byChannel.fax).toMatchObject({ invited: 0, responses: 0, responseRate: null });
  });

  it('shows the channels in the CSV and the summary mail', () => {
    const csv = surveyReportCsv(tally, { generatedAt: new Date('2027-02-20T00:00:00Z') });
    expect(csv).toContain('渠道 Channel,phone,电话问答 Phone,2,1,50,50,');
    expect(
      surveyReportEmail(tally, { generatedAt: new Date('2027-02-20T00:00:00Z') }).text,
    ).toMatch(/邮寄调查表 Post: 1 份 answers \(50.0%\), 指数 index 0.0/);
  });
});

describe('satisfaction by complaint handling', () => {
  it('takes the last answer of a complaint, and puts a customer in one group', () => {
    const answer = (value: string) => ({ type: 'customer_answer', fields: { answer: value } });
    expect(handlingOutcome([])).toBe('open');
    expect(handlingOutcome([{ type: 'accept', fields: {} }])).toBe('open');
    expect(handlingOutcome([answer('not_satisfied'), answer('satisfied')])).toBe('satisfied');
    expect(
      handlingOutcome([
        answer('satisfied'),
        { type: 'reopen', fields: {} },
        answer('not_satisfied'),
      ]),
    ).toBe('not_satisfied');
    expect(handlingOutcome([{ type: 'closed_no_reply', fields: {} }])).toBe('no_answer');
    expect(complaintGroupOf([])).toBe('none');
    expect(complaintGroupOf(['satisfied', 'satisfied'])).toBe('satisfied');
    expect(complaintGroupOf(['satisfied', 'not_satisfied', 'open'])).toBe('not_satisfied');
    expect(complaintGroupOf(['satisfied', 'open'])).toBe('no_answer');
    expect(inSurveyWindow('2026-03-01T00:00:00Z', '2027-01-20T00:00:00Z')).toBe(true);
    expect(inSurveyWindow('2025-12-01T00:00:00Z', '2027-01-20T00:00:00Z')).toBe(false);
    expect(inSurveyWindow('2027-02-01T00:00:00Z', '2027-01-20T00:00:00Z')).toBe(false);
  });

  it('splits the satisfaction index by whether and how customers complained', () => {
    const at = '2027-01-16T02:00:00Z';
    const tally = tallySurvey({
      year: 2027,
      invited: 4,
      responses: [
        {
          ...response('n@x.example', 'domestic', 'CN-GD', at, [5, 5, 5, 5, 5, 5], 10),
          complaint: 'none' as const,
        },
        {
          ...response('s@x.example', 'domestic', 'CN-GD', at, [4, 4, 4, 4, 4, 4], 9),
          complaint: 'satisfied' as const,
        },
        {
          ...response('u@x.example', 'domestic', 'CN-GD', at, [1, 1, 1, 1, 1, 1], 0),
          complaint: 'not_satisfied' as const,
        },
      ],
    });
    expect(tally.byComplaint.none).toMatchObject({ responses: 1, satisfactionIndex: 100 });
    expect(tally.byComplaint.satisfied).toMatchObject({ responses: 1, satisfactionIndex: 75 });
    expect(tally.byComplaint.not_satisfied).toMatchObject({ responses: 1, satisfactionIndex: 0 });
    expect(tally.byComplaint.no_answer.responses).toBe(0);
    const csv = surveyReportCsv(tally, { generatedAt: new Date('2027-02-20T00:00:00Z') });
    expect(csv).toContain(
      '投诉 Complaint,satisfied,"投诉，对处理满意 Complained, satisfied with the handling",,1,,75',
    );
  });
});
