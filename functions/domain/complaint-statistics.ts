/**
 * Complaint statistics from register rows (pure). A month's rows fold into a `MonthSummary`
 * (counts, on-time tallies, histograms of working hours to 0.1 h); summaries add up, so a
 * period is the sum of its cached month summaries plus its partial edge months.
 */
import type { RegisterRow } from './register.ts';

export type Tally = Record<string, number>;

export interface MonthSummary {
  total: number;
  byCategory: Tally;
  byProductModel: Tally;
  byRegion: Tally;
  byMarket: Tally;
  byChannel: Tally;
  byDepartment: Tally;
  firstResponse: { onTime: number; measured: number };
  resolution: { onTime: number; measured: number };
  /** Working hours (to 0.1 h under 100 h, as text) → how many complaints took that long. */
  firstResponseHours: Tally;
  closeHours: Tally;
  satisfaction: { satisfied: number; answered: number };
  reopened: number;
  /** Currency → total amount and number of compensations proposed. */
  compensation: Record<string, { total: number; count: number }>;
}

export const noProductModel = '(none)';

export function emptySummary(): MonthSummary {
  return {
    total: 0,
    byCategory: {},
    byProductModel: {},
    byRegion: {},
    byMarket: {},
    byChannel: {},
    byDepartment: {},
    firstResponse: { onTime: 0, measured: 0 },
    resolution: { onTime: 0, measured: 0 },
    firstResponseHours: {},
    closeHours: {},
    satisfaction: { satisfied: 0, answered: 0 },
    reopened: 0,
    compensation: {},
  };
}

function bump(tally: Tally, key: string, by = 1): void {
  tally[key] = (tally[key] ?? 0) + by;
}

/** 0.1 h below 100 h, whole hours below 1,000, tens above: a summary's keys stay few. */
function hoursKey(hours: number): string {
  if (hours < 100) return (Math.round(hours * 10) / 10).toFixed(1);
  if (hours < 1000) return Math.round(hours).toFixed(1);
  return (Math.round(hours / 10) * 10).toFixed(1);
}

/** Adds one row to a summary (in place). */
export function addRow(summary: MonthSummary, row: RegisterRow): MonthSummary {
  summary.total++;
  bump(summary.byCategory, row.category);
  bump(summary.byProductModel, row.productModel ?? noProductModel);
  bump(summary.byRegion, row.region);
  bump(summary.byMarket, row.market);
  bump(summary.byChannel, row.channel);
  for (const department of row.departments) bump(summary.byDepartment, department);
  if (row.firstResponseAt && row.firstResponseDueAt) {
    summary.firstResponse.measured++;
    if (row.firstResponseAt <= row.firstResponseDueAt) summary.firstResponse.onTime++;
  }
  if (row.respondedAt && row.resolutionDueAt) {
    summary.resolution.measured++;
    if (row.respondedAt <= row.resolutionDueAt) summary.resolution.onTime++;
  }
  if (row.firstResponseHours !== undefined) {
    bump(summary.firstResponseHours, hoursKey(row.firstResponseHours));
  }
  if (row.closeHours !== undefined) bump(summary.closeHours, hoursKey(row.closeHours));
  if (row.satisfaction === 'satisfied' || row.satisfaction === 'not_satisfied') {
    summary.satisfaction.answered++;
    if (row.satisfaction === 'satisfied') summary.satisfaction.satisfied++;
  }
  if (row.reopenCount > 0) summary.reopened++;
  if (row.remedyType === 'compensation' && row.remedyAmount !== undefined) {
    const currency = row.remedyCurrency ?? 'CNY';
    const entry = summary.compensation[currency] ?? { total: 0, count: 0 };
    entry.total = Math.round((entry.total + row.remedyAmount) * 100) / 100;
    entry.count++;
    summary.compensation[currency] = entry;
  }
  return summary;
}

export function summarise(rows: Iterable<RegisterRow>): MonthSummary {
  const summary = emptySummary();
  for (const row of rows) addRow(summary, row);
  return summary;
}

function addTally(into: Tally, from: Tally): void {
  for (const [key, count] of Object.entries(from)) bump(into, key, count);
}

export function mergeSummaries(summaries: Iterable<MonthSummary>): MonthSummary {
  const sum = emptySummary();
  for (const s of summaries) {
    sum.total += s.total;
    addTally(sum.byCategory, s.byCategory);
    addTally(sum.byProductModel, s.byProductModel);
    addTally(sum.byRegion, s.byRegion);
    addTally(sum.byMarket, s.byMarket);
    addTally(sum.byChannel, s.byChannel);
    addTally(sum.byDepartment, s.byDepartment);
    sum.firstResponse.onTime += s.firstResponse.onTime;
    sum.firstResponse.measured += s.firstResponse.measured;
    sum.resolution.onTime += s.resolution.onTime;
    sum.resolution.measured += s.resolution.measured;
    addTally(sum.firstResponseHours, s.firstResponseHours);
    addTally(sum.closeHours, s.closeHours);
    sum.satisfaction.satisfied += s.satisfaction.satisfied;
    sum.satisfaction.answered += s.satisfaction.answered;
    sum.reopened += s.reopened;
    for (const [currency, entry] of Object.entries(s.compensation)) {
      const into = sum.compensation[currency] ?? { total: 0, count: 0 };
      into.total = Math.round((into.total + entry.total) * 100) / 100;
      into.count += entry.count;
      sum.compensation[currency] = into;
    }
  }
  return sum;
}

/**
 * The q-quantile (0 < q ≤ 1) of the values a histogram counts. The median of an even count
 * is the mean of the middle two; other quantiles take the nearest rank (⌈q·n⌉-th value).
 */
export function quantile(histogram: Tally, q: number): number | null {
  const entries = Object.entries(histogram)
    .map(([value, count]) => [Number(value), count] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => a[0] - b[0]);
  const n = entries.reduce((sum, [, count]) => sum + count, 0);
  if (n === 0) return null;
  const valueAt = (rank: number): number => {
    let seen = 0;
    for (const [value, count] of entries) {
      seen += count;
      if (seen >= rank) return value;
    }
    return entries[entries.length - 1]?.[0] ?? 0;
  };
  if (q === 0.5 && n % 2 === 0) {
    return Math.round(((valueAt(n / 2) + valueAt(n / 2 + 1)) / 2) * 10) / 10;
  }
  return valueAt(Math.max(1, Math.ceil(q * n)));
}

export interface CountRow {
  key: string;
  count: number;
}

export interface ParetoRow extends CountRow {
  /** Share of the total, 0–1. */
  share: number;
  /** Running share, 0–1: the Pareto line. */
  cumulative: number;
}

/** Largest first; ties in key order, so the order is stable. */
export function countRows(tally: Tally): CountRow[] {
  return Object.entries(tally)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

export function pareto(tally: Tally): ParetoRow[] {
  const rows = countRows(tally);
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  let running = 0;
  return rows.map((row) => {
    running += row.count;
    return {
      ...row,
      share: total ? row.count / total : 0,
      cumulative: total ? running / total : 0,
    };
  });
}

export interface Share {
  part: number;
  of: number;
  /** part / of, 0–1; null when there is nothing to measure. */
  share: number | null;
}

function share(part: number, of: number): Share {
  return { part, of, share: of ? part / of : null };
}

export interface HoursFigure {
  count: number;
  median: number | null;
  p90: number | null;
}

function hours(histogram: Tally): HoursFigure {
  return {
    count: Object.values(histogram).reduce((sum, count) => sum + count, 0),
    median: quantile(histogram, 0.5),
    p90: quantile(histogram, 0.9),
  };
}

/** A proposal for a CAPA: complaints sharing category and product model within the window. */
export interface CapaSuggestion {
  category: RegisterRow['category'];
  productModel: string;
  /** How many complaints of the group fall in the window. */
  count: number;
  /** The latest of them (at most `maxSuggestionReferences`), oldest first: what the CAPA links. */
  references: string[];
  firstReceivedAt: string;
  lastReceivedAt: string;
}

export interface SuggestionSettings {
  /** How many complaints make a pattern (default 3). */
  minimum: number;
  /** Within how many days of each other (default 90). */
  windowDays: number;
}

export const defaultSuggestionSettings: SuggestionSettings = { minimum: 3, windowDays: 90 };

/** A suggestion names its latest complaints only: a link (and a cached item) stays small. */
export const maxSuggestionReferences = 20;

/**
 * Groups by category and product model; a group is proposed when `minimum` of its complaints
 * fall within `windowDays` of each other (the densest window is reported). Complaints with
 * no product model are left out: a model is what a corrective action would change.
 */
export function capaSuggestions(
  rows: readonly Pick<RegisterRow, 'reference' | 'receivedAt' | 'category' | 'productModel'>[],
  settings: SuggestionSettings = defaultSuggestionSettings,
): CapaSuggestion[] {
  const groups = new Map<string, typeof rows>();
  for (const row of rows) {
    if (!row.productModel) continue;
    const key = `${row.category}\u0000${row.productModel}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const windowMs = settings.windowDays * 86_400_000;
  const suggestions: CapaSuggestion[] = [];
  for (const group of groups.values()) {
    const sorted = [...group].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    let best: typeof sorted = [];
    let start = 0;
    for (let end = 0; end < sorted.length; end++) {
      const last = Date.parse(sorted[end]?.receivedAt ?? '');
      while (start < end && last - Date.parse(sorted[start]?.receivedAt ?? '') > windowMs) start++;
      if (end - start + 1 > best.length) best = sorted.slice(start, end + 1);
    }
    const first = best[0];
    const last = best[best.length - 1];
    if (best.length >= settings.minimum && first && last && first.productModel) {
      suggestions.push({
        category: first.category,
        productModel: first.productModel,
        count: best.length,
        references: best.slice(-maxSuggestionReferences).map((row) => row.reference),
        firstReceivedAt: first.receivedAt,
        lastReceivedAt: last.receivedAt,
      });
    }
  }
  return suggestions.sort(
    (a, b) => b.count - a.count || a.productModel.localeCompare(b.productModel),
  );
}

/** The figures of a period: what the statistics page, its JSON and its CSV show. */
export interface StatisticsFigures {
  from: string;
  to: string;
  total: number;
  byCategory: CountRow[];
  byProductModel: CountRow[];
  byRegion: CountRow[];
  byMarket: CountRow[];
  byChannel: CountRow[];
  byDepartment: CountRow[];
  paretoCategories: ParetoRow[];
  paretoProductModels: ParetoRow[];
  /** Complaints received per month, the 12 months ending with `to`'s month. */
  trend: { month: string; count: number }[];
  firstResponseOnTime: Share;
  resolutionOnTime: Share;
  firstResponseHours: HoursFigure;
  closeHours: HoursFigure;
  satisfied: Share;
  reopened: Share;
  compensation: { currency: string; total: number; count: number }[];
  suggestions: CapaSuggestion[];
}

export function figuresOf(
  period: { from: string; to: string },
  summary: MonthSummary,
  trend: { month: string; count: number }[],
  suggestions: CapaSuggestion[],
): StatisticsFigures {
  return {
    ...period,
    total: summary.total,
    byCategory: countRows(summary.byCategory),
    byProductModel: countRows(summary.byProductModel),
    byRegion: countRows(summary.byRegion),
    byMarket: countRows(summary.byMarket),
    byChannel: countRows(summary.byChannel),
    byDepartment: countRows(summary.byDepartment),
    paretoCategories: pareto(summary.byCategory),
    paretoProductModels: pareto(summary.byProductModel),
    trend,
    firstResponseOnTime: share(summary.firstResponse.onTime, summary.firstResponse.measured),
    resolutionOnTime: share(summary.resolution.onTime, summary.resolution.measured),
    firstResponseHours: hours(summary.firstResponseHours),
    closeHours: hours(summary.closeHours),
    satisfied: share(summary.satisfaction.satisfied, summary.satisfaction.answered),
    reopened: share(summary.reopened, summary.total),
    compensation: Object.entries(summary.compensation)
      .map(([currency, entry]) => ({ currency, ...entry }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
    suggestions,
  };
}
