/** The register's and statistics' pure parts: quantiles, Pareto, summaries, suggestions, CSV. */
import { describe, expect, it } from 'vitest';
import type { Complaint } from '#functions/domain/complaint.ts';
import {
  capaSuggestions,
  countRows,
  figuresOf,
  mergeSummaries,
  pareto,
  quantile,
  summarise,
} from '#functions/domain/complaint-statistics.ts';
import {
  chinaMonth,
  monthParts,
  monthsBetween,
  periodBounds,
  type RegisterRow,
  registerRowOf,
  shiftMonth,
  workingHoursBetween,
} from '#functions/domain/register.ts';
import { csvLine, safeCsvCell } from '#functions/reports/csv.ts';

function histogram(values: number[]): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const value of values) tally[value.toFixed(1)] = (tally[value.toFixed(1)] ?? 0) + 1;
  return tally;
}

describe('quantiles over a histogram', () => {
  it('takes the middle value of an odd count and the mean of the middle two of an even count', () => {
    expect(quantile(histogram([5, 1, 3]), 0.5)).toBe(3);
    expect(quantile(histogram([1, 2, 3, 10]), 0.5)).toBe(2.5);
    expect(quantile(histogram([4, 4, 4, 4]), 0.5)).toBe(4);
  });

  it('takes the nearest rank for the 90th percentile', () => {
    const values = Array.from({ length: 10 }, (_, index) => index + 1);
    expect(quantile(histogram(values), 0.9)).toBe(9);
    expect(quantile(histogram([...values, 11]), 0.9)).toBe(10);
    expect(quantile(histogram([7]), 0.9)).toBe(7);
  });

  it('is null with nothing measured', () => {
    expect(quantile({}, 0.5)).toBeNull();
    expect(quantile({ '3.0': 0 }, 0.9)).toBeNull();
  });
});

describe('Pareto', () => {
  it('orders largest first with shares and a running share that ends at 1', () => {
    const rows = pareto({ quality: 6, delivery: 3, service: 1 });
    expect(rows.map((row) => row.key)).toEqual(['quality', 'delivery', 'service']);
    expect(rows.map((row) => row.share)).toEqual([0.6, 0.3, 0.1]);
    expect(rows.map((row) => row.cumulative)).toEqual([0.6, 0.9, 1]);
    expect(pareto({})).toEqual([]);
  });

  it('breaks ties by key so the order is stable', () => {
    expect(countRows({ b: 2, a: 2, c: 5 }).map((row) => row.key)).toEqual(['c', 'a', 'b']);
  });
});

function row(overrides: Partial<RegisterRow>): RegisterRow {
  return {
    id: 'id',
    reference: 'FB-2026-000001',
    receivedAt: '2026-03-02T02:00:00.000Z',
    channel: 'web',
    customerName: '李明',
    market: 'domestic',
    region: 'CN-GD',
    category: 'quality',
    subject: 's',
    departments: ['gm', 'sales'],
    reopenCount: 0,
    capaReferences: [],
    status: 'routed',
    ...overrides,
  };
}

describe('summaries', () => {
  it('count each dimension, on-time shares, hours, satisfaction, reopens and compensation per currency', () => {
    const summary = summarise([
      row({
        productModel: 'X',
        firstResponseAt: '2026-03-02T03:00:00.000Z',
        firstResponseDueAt: '2026-03-02T06:00:00.000Z',
        respondedAt: '2026-03-05T03:00:00.000Z',
        resolutionDueAt: '2026-03-04T03:00:00.000Z',
        firstResponseHours: 1,
        closeHours: 30,
        satisfaction: 'satisfied',
        remedyType: 'compensation',
        remedyAmount: 100.5,
        remedyCurrency: 'CNY',
      }),
      row({
        market: 'export',
        region: 'DE',
        channel: 'email',
        reopenCount: 2,
        satisfaction: 'not_satisfied',
      }),
      row({
        remedyType: 'compensation',
        remedyAmount: 50,
        remedyCurrency: 'USD',
        satisfaction: 'no_reply',
      }),
    ]);
    expect(summary.total).toBe(3);
    expect(summary.byProductModel).toEqual({ X: 1, '(none)': 2 });
    expect(summary.byDepartment).toEqual({ gm: 3, sales: 3 });
    expect(summary.firstResponse).toEqual({ onTime: 1, measured: 1 });
    expect(summary.resolution).toEqual({ onTime: 0, measured: 1 });
    expect(summary.satisfaction).toEqual({ satisfied: 1, answered: 2 });
    expect(summary.reopened).toBe(1);
    expect(summary.compensation).toEqual({
      CNY: { total: 100.5, count: 1 },
      USD: { total: 50, count: 1 },
    });
    const merged = mergeSummaries([summary, summary]);
    expect(merged.total).toBe(6);
    expect(merged.compensation.CNY).toEqual({ total: 201, count: 2 });
    const figures = figuresOf({ from: '2026-03-01', to: '2026-03-31' }, merged, [], []);
    expect(figures.satisfied).toEqual({ part: 2, of: 4, share: 0.5 });
    expect(figures.reopened.share).toBeCloseTo(1 / 3);
    expect(figures.closeHours).toEqual({ count: 2, median: 30, p90: 30 });
  });
});

describe('CAPA suggestions', () => {
  const at = (day: number) => new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString();
  const complaint = (
    reference: string,
    day: number,
    productModel = 'X-100',
    category: RegisterRow['category'] = 'quality',
  ) => ({
    reference,
    receivedAt: at(day),
    category,
    productModel,
  });

  it('proposes three of one category and model within 90 days', () => {
    const suggestions = capaSuggestions([
      complaint('FB-1', 0),
      complaint('FB-2', 45),
      complaint('FB-3', 89),
      complaint('FB-4', 10, 'Y'),
    ]);
    expect(suggestions).toEqual([
      {
        category: 'quality',
        productModel: 'X-100',
        count: 3,
        references: ['FB-1', 'FB-2', 'FB-3'],
        firstReceivedAt: at(0),
        lastReceivedAt: at(89),
      },
    ]);
  });

  it('proposes nothing when the three are spread over more than 90 days, or differ in category', () => {
    expect(
      capaSuggestions([complaint('FB-1', 0), complaint('FB-2', 45), complaint('FB-3', 91)]),
    ).toEqual([]);
    expect(
      capaSuggestions([
        complaint('FB-1', 0),
        complaint('FB-2', 1),
        complaint('FB-3', 2, 'X-100', 'delivery'),
      ]),
    ).toEqual([]);
    expect(capaSuggestions([complaint('FB-1', 0), complaint('FB-2', 1)])).toEqual([]);
  });

  it('names only the latest twenty of a large group, and counts them all', () => {
    const rows = Array.from({ length: 50 }, (_, index) => complaint(`FB-${index}`, index));
    const [suggestion] = capaSuggestions(rows);
    expect(suggestion?.count).toBe(50);
    expect(suggestion?.references).toHaveLength(20);
    expect(suggestion?.references[19]).toBe('FB-49');
  });

  it('follows its settings', () => {
    const rows = [complaint('FB-1', 0), complaint('FB-2', 20)];
    expect(capaSuggestions(rows, { minimum: 2, windowDays: 30 })).toHaveLength(1);
    expect(capaSuggestions(rows, { minimum: 2, windowDays: 10 })).toHaveLength(0);
  });
});

describe('working hours between two instants', () => {
  it('counts only 08:30–17:30 China time on working days', () => {
    // Monday 2026-03-02 09:30 to 11:00 China time.
    expect(workingHoursBetween('2026-03-02T01:30:00Z', '2026-03-02T03:00:00Z')).toBe(1.5);
    // Friday 17:00 to Monday 09:00: half an hour each side of the weekend.
    expect(workingHoursBetween('2026-03-06T09:00:00Z', '2026-03-09T01:00:00Z')).toBe(1);
    // A holiday on the Monday counts nothing.
    expect(
      workingHoursBetween('2026-03-06T09:00:00Z', '2026-03-10T01:00:00Z', {
        holidays: ['2026-03-09'],
        workingWeekendDays: [],
      }),
    ).toBe(1);
    expect(workingHoursBetween('2026-03-02T03:00:00Z', '2026-03-02T01:00:00Z')).toBe(0);
  });
});

describe('months and periods', () => {
  it('names the China-time month and the bounds of China-time days', () => {
    expect(chinaMonth('2026-01-31T16:30:00Z')).toBe('2026-02');
    expect(periodBounds('2026-03-01', '2026-03-31')).toEqual({
      start: '2026-02-28T16:00:00.000Z',
      end: '2026-03-31T16:00:00.000Z',
    });
    expect(monthsBetween('2025-11', '2026-02')).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    expect(shiftMonth('2026-02', -11)).toBe('2025-03');
  });

  it('reads a month as year and month, and refuses anything else', () => {
    expect(monthParts('2026-09')).toEqual({ year: 2026, month: 9 });
    expect(() => monthParts('2026-9')).toThrow('Not a YYYY-MM month');
    expect(() => monthParts('')).toThrow('Not a YYYY-MM month');
  });
});

describe('the register row', () => {
  it('takes root causes, the remedy, the last answer and reopens from the events', () => {
    const complaint: Complaint & { capaReferences: string[] } = {
      id: 'c1',
      reference: 'FB-2026-000007',
      status: 'closed',
      createdAt: '2026-03-02T01:30:00.000Z',
      updatedAt: '2026-03-03T01:30:00.000Z',
      customer: { name: '李明', company: '华南', market: 'domestic', region: 'CN-GD' },
      category: 'quality',
      subject: 's',
      description: 'd',
      language: 'zh',
      channel: 'web',
      order: { productModel: 'X', batchNo: 'B1' },
      routing: {
        routedAt: '2026-03-02T01:31:00.000Z',
        assignments: [{ department: 'sales', role: 'owner' }],
      },
      firstResponseAt: '2026-03-02T02:30:00.000Z',
      closedAt: '2026-03-03T01:30:00.000Z',
      proposal: {
        remedy: { type: 'compensation', amount: 10, currency: 'CNY' },
        response: { text: 'r' },
        approval: 'approved',
        proposedAt: '2026-03-02T03:00:00.000Z',
      },
      capaReferences: ['CA-2026-0007'],
    };
    const result = registerRowOf(complaint, [
      { type: 'investigate', at: 'x', fields: { rootCause: 'heat', correctiveAction: 'alarm' } },
      { type: 'customer_answer', at: 'x', fields: { answer: 'not_satisfied' } },
      { type: 'customer_answer', at: 'x', fields: { answer: 'satisfied' } },
    ]);
    expect(result).toMatchObject({
      owner: 'sales',
      rootCause: 'heat',
      correctiveAction: 'alarm',
      remedyType: 'compensation',
      remedyAmount: 10,
      gmApproval: 'approved',
      satisfaction: 'satisfied',
      reopenCount: 1,
      firstResponseHours: 1,
      closeHours: 9,
      workingDaysToClose: 1,
      capaReferences: ['CA-2026-0007'],
    });
  });
});

describe('CSV cells', () => {
  it('prefix what a spreadsheet would run, and quote what CSV needs quoted', () => {
    expect(safeCsvCell('=1+1')).toBe("'=1+1");
    expect(safeCsvCell('+86 20')).toBe("'+86 20");
    expect(safeCsvCell('-5')).toBe("'-5");
    expect(safeCsvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(safeCsvCell('\tx')).toBe("'\tx");
    expect(safeCsvCell('\rx')).toBe('"\'\rx"');
    expect(safeCsvCell('a,"b"')).toBe('"a,""b"""');
    expect(safeCsvCell(-5)).toBe('-5');
    expect(safeCsvCell(undefined)).toBe('');
    expect(csvLine(['a', 1, undefined])).toBe('a,1,\r\n');
  });
});
