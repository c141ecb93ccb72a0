/** On-site visits' pure rules: the window in the outlet's time, the reminder's due time, the .ics text. */
import { describe, expect, it } from 'vitest';
import {
  allowsVisit,
  visitCalendar,
  visitReminderDueAt,
  visitWindow,
} from '#functions/domain/visits.ts';
import { noHolidays } from '#functions/domain/working-hours.ts';
import { visitAssignmentEmail, visitCustomerEmail } from '#functions/email/visit-emails.ts';

describe('visit window', () => {
  it('reads the window in China time by default and in the outlet’s own zone otherwise', () => {
    expect(visitWindow('2027-01-11', '09:00', '12:00', 'Asia/Shanghai')).toEqual({
      startsAt: '2027-01-11T01:00:00.000Z',
      endsAt: '2027-01-11T04:00:00.000Z',
    });
    // Amsterdam in summer is UTC+2.
    expect(visitWindow('2027-07-05', '09:00', '10:30', 'Europe/Amsterdam')).toEqual({
      startsAt: '2027-07-05T07:00:00.000Z',
      endsAt: '2027-07-05T08:30:00.000Z',
    });
  });

  it('refuses a window that ends before it starts', () => {
    expect(visitWindow('2027-01-11', '12:00', '09:00', 'Asia/Shanghai')).toBeUndefined();
  });

  it('is for on-site service and technical support complaints only', () => {
    expect(allowsVisit('onsite_service')).toBe(true);
    expect(allowsVisit('technical_support')).toBe(true);
    expect(allowsVisit('quality')).toBe(false);
  });
});

describe('visit reminder', () => {
  it('is due one working day after the window: Friday 12:00 → Monday 12:00 China time', () => {
    // 2027-01-15 is a Friday; 12:00 China time is 04:00 UTC.
    expect(visitReminderDueAt('2027-01-15T04:00:00.000Z', noHolidays)).toBe(
      '2027-01-18T04:00:00.000Z',
    );
  });

  it('skips holidays', () => {
    expect(
      visitReminderDueAt('2027-01-15T04:00:00.000Z', {
        holidays: ['2027-01-18'],
        workingWeekendDays: [],
      }),
    ).toBe('2027-01-19T04:00:00.000Z');
  });
});

describe('visit calendar file', () => {
  const entry = {
    uid: 'visit-1@aftercare',
    startsAt: '2027-01-11T01:00:00.000Z',
    endsAt: '2027-01-11T04:00:00.000Z',
    stampedAt: '2027-01-08T06:30:00.000Z',
    summary: 'On-site service (C-2027-0001)',
    description: 'Who comes: South China; with a ladder\nContact: Li',
    location: 'Plant 2, Gate 3; Shenzhen',
  };

  it('is one RFC 5545 event in UTC, lines ending CRLF, text escaped', () => {
    const text = visitCalendar(entry);
    expect(text.split('\r\n')).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Aftercare//On-site visit//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'BEGIN:VEVENT',
      'UID:visit-1@aftercare',
      'DTSTAMP:20270108T063000Z',
      'DTSTART:20270111T010000Z',
      'DTEND:20270111T040000Z',
      'SUMMARY:On-site service (C-2027-0001)',
      'DESCRIPTION:Who comes: South China\\; with a ladder\\nContact: Li',
      'LOCATION:Plant 2\\, Gate 3\\; Shenzhen',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ]);
  });

  it('folds lines over 75 octets without splitting a character', () => {
    const text = visitCalendar({ ...entry, summary: '上门服务'.repeat(20) });
    const lines = text.split('\r\n');
    const encoder = new TextEncoder();
    for (const line of lines) expect(encoder.encode(line).length).toBeLessThanOrEqual(75);
    const summary = lines
      .slice(lines.findIndex((line) => line.startsWith('SUMMARY:')))
      .reduce((all, line, index) =>
        index === 0 ? line : line.startsWith(' ') ? all + line.slice(1) : all,
      );
    expect(summary).toBe(`SUMMARY:${'上门服务'.repeat(20)}`);
    expect(text).not.toContain('\uFFFD');
  });
});

describe('visit emails', () => {
  const facts = {
    date: '2027-01-11',
    from: '09:00',
    to: '12:00',
    timeZone: 'Europe/Amsterdam',
    address: 'Hauptstraße 1 <b>Berlin</b>',
    contact: { name: 'Weber', phone: '+49 30 1234' },
    visitorName: 'Agent Europe',
  };
  const complaint = {
    reference: 'FB-2027-000001',
    language: 'en' as const,
    customer: { name: 'Hans Weber', market: 'export' as const, region: 'DE' },
    subject: 'Window seals',
    description: 'Leaking\r\nBcc: x@y.example',
  };

  it('tells the customer in their language, with the window in the outlet’s zone and the calendar link', () => {
    const mail = visitCustomerEmail(complaint, facts, 'https://example.com/visit/t/ics');
    expect(mail.subject).toBe('Your on-site service appointment (FB-2027-000001)');
    expect(mail.text).toContain('When: 2027-01-11 09:00–12:00 (Europe/Amsterdam)');
    expect(mail.text).toContain('https://example.com/visit/t/ics');
    expect(mail.html).not.toContain('<b>Berlin</b>');
    expect(visitCustomerEmail({ ...complaint, language: 'zh' }, facts, 'u').subject).toBe(
      '上门服务预约（FB-2027-000001）',
    );
  });

  it('gives who goes the site, the complaint and the report link; a reminder says it is late', () => {
    const mail = visitAssignmentEmail(complaint, facts, 'Agent Europe', 'en', 'https://r', false);
    expect(mail.text).toContain('Hauptstraße 1');
    expect(mail.text).toContain('Window seals');
    expect(mail.text).toContain('Report the visit: https://r');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    const reminder = visitAssignmentEmail(complaint, facts, 'Agent', 'zh', 'https://r', true);
    expect(reminder.subject).toBe('请提交上门服务报告（FB-2027-000001）');
  });
});
