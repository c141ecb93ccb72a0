/**
 * The management-review pack (管理评审) of a period: the complaint statistics and their
 * change against the previous period of the same length, the register summary, the CAPA
 * open at its end and closed within it with their effectiveness, the latest yearly survey
 * and the suggestions received (customers' suggestions, the survey's, and the statistics'
 * CAPA proposals). Gathered here; written as HTML and XLSX by `reports/review-pack.ts`.
 */
import type { CapaItem } from '#functions/data/capa.ts';
import { getCampaign } from '#functions/data/surveys.ts';
import type { ComplaintStatus } from '#functions/domain/complaint.ts';
import type { StatisticsFigures } from '#functions/domain/complaint-statistics.ts';
import { periodBounds, type RegisterRow } from '#functions/domain/register.ts';
import type { SurveyTally } from '#functions/domain/survey-statistics.ts';
import { listCapa } from './capa.ts';
import { computeStatistics, registerRows } from './register.ts';
import { surveyTally } from './survey-results.ts';

/** Rows the printed register summary lists; the workbook has every row. */
export const printedRegisterRows = 200;

export interface RegisterSummary {
  total: number;
  byStatus: Partial<Record<ComplaintStatus, number>>;
  /** With at least one CAPA. */
  withCapa: number;
  /** The first `printedRegisterRows` rows, oldest first. */
  rows: RegisterRow[];
  /** Complaints of the category `suggestion` (all of them: they are few). */
  suggestions: RegisterRow[];
}

export interface ReviewPack {
  from: string;
  to: string;
  previous: { from: string; to: string };
  statistics: StatisticsFigures;
  previousStatistics: StatisticsFigures;
  register: RegisterSummary;
  /** Open at the period's end (created by then, not closed by then). */
  openCapa: CapaItem[];
  /** Closed (found effective) within the period. */
  closedCapa: CapaItem[];
  /** The latest year with a survey campaign, up to the period's end; none if never run. */
  survey?: SurveyTally;
}

const dayMs = 86_400_000;

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/** The period of the same length just before [from, to]. */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const length = Math.round(
    (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs,
  );
  const previousTo = addDays(from, -1);
  return { from: addDays(previousTo, -length), to: previousTo };
}

/** Streams the period's register rows once: counts for the summary, the first rows to print. */
export async function registerSummary(from: string, to: string): Promise<RegisterSummary> {
  const summary: RegisterSummary = {
    total: 0,
    byStatus: {},
    withCapa: 0,
    rows: [],
    suggestions: [],
  };
  for await (const row of registerRows({ from, to, filter: {} })) {
    summary.total++;
    summary.byStatus[row.status] = (summary.byStatus[row.status] ?? 0) + 1;
    if (row.capaReferences.length > 0) summary.withCapa++;
    if (summary.rows.length < printedRegisterRows) summary.rows.push(row);
    if (row.category === 'suggestion') summary.suggestions.push(row);
  }
  return summary;
}

/** CAPA open at the end of the period, and those closed within it. */
export function capaOfPeriod(items: readonly CapaItem[], from: string, to: string) {
  const { start, end } = periodBounds(from, to);
  const existing = items.filter((item) => item.createdAt < end);
  return {
    openCapa: existing.filter((item) => !item.closedAt || item.closedAt >= end),
    closedCapa: existing.filter(
      (item) => item.closedAt !== undefined && item.closedAt >= start && item.closedAt < end,
    ),
  };
}

async function latestSurvey(toYear: number): Promise<SurveyTally | undefined> {
  for (let year = toYear; year >= toYear - 2; year--) {
    if (await getCampaign(year)) return surveyTally(year);
  }
  return undefined;
}

export async function reviewPack(from: string, to: string, now: Date): Promise<ReviewPack> {
  const previous = previousPeriod(from, to);
  const fromYear = Number(from.slice(0, 4));
  const toYear = Number(to.slice(0, 4));
  // CAPA live in per-year partitions: the period's years and the one before (still open ones).
  const years: number[] = [];
  for (let year = fromYear - 1; year <= toYear; year++) years.push(year);
  const [current, before, register, capa, survey] = await Promise.all([
    computeStatistics(from, to, { now }),
    computeStatistics(previous.from, previous.to, { now }),
    registerSummary(from, to),
    listCapa(years),
    latestSurvey(toYear),
  ]);
  return {
    from,
    to,
    previous,
    statistics: current.figures,
    previousStatistics: before.figures,
    register,
    ...capaOfPeriod(capa, from, to),
    ...(survey ? { survey } : {}),
  };
}
