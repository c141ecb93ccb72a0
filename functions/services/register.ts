/**
 * The register and its statistics as reusable steps: keep a complaint's register row up to
 * date (`syncRegisterRow`, idempotent, called wherever the complaint moves), read rows by
 * period and filter page by page or as a stream (`registerRows`), and compute a period's
 * figures from cached month summaries (`computeStatistics`).
 */
import * as z from 'zod/mini';
import { caseEvents, caseStateOf, complaintPartition } from '#functions/data/cases.ts';
import { findComplaintByReference, getComplaint } from '#functions/data/complaints.ts';
import { getRoutingPolicy } from '#functions/data/configuration.ts';
import {
  type GmQueueEntry,
  getCachedSuggestions,
  getMonthSummary,
  monthChanges,
  putCachedSuggestions,
  putMonthSummary,
  putRegisterRow,
  referencesAllocated,
  registerRowsOfMonth,
} from '#functions/data/register.ts';
import { gmListedByRegisterRow } from '#functions/data/routing.ts';
import { type Visit, visitsFromPartition } from '#functions/data/visits.ts';
import { type CaseState, nextDeadline } from '#functions/domain/case-lifecycle.ts';
import { type Complaint, formatReference } from '#functions/domain/complaint.ts';
import {
  type CapaSuggestion,
  capaSuggestions,
  defaultSuggestionSettings,
  figuresOf,
  type MonthSummary,
  mergeSummaries,
  type StatisticsFigures,
  type SuggestionSettings,
  summarise,
} from '#functions/domain/complaint-statistics.ts';
import {
  chinaDate,
  monthParts,
  monthsBetween,
  periodBounds,
  type RegisterEvent,
  type RegisterQuery,
  type RegisterRow,
  registerRowOf,
  shiftMonth,
} from '#functions/domain/register.ts';

export type { RegisterFilter, RegisterQuery } from '#functions/domain/register.ts';

/** A complaint as stored may carry the CAPA references the CAPA work links to it. */
type RegisteredComplaint = Complaint & { capaReferences?: string[] };

function stampOf(complaint: Complaint): string {
  return `${String(complaint.version ?? 0).padStart(8, '0')}#${complaint.routing ? 1 : 0}`;
}

/**
 * Rewrites the complaint's register row from the complaint and its case events. Pass
 * `state` when the complaint item is not yet projected to the latest event (case handling
 * writes the row before it projects the complaint, so a crash in between is repaired by
 * the next read). Call it after linking a CAPA to the complaint, too.
 */
export async function syncRegisterRow(
  complaintOrId: RegisteredComplaint | string,
  state?: CaseState,
): Promise<void> {
  const stored =
    typeof complaintOrId === 'string' ? await getComplaint(complaintOrId) : complaintOrId;
  if (!stored) return;
  const complaint: RegisteredComplaint = state ? withState(stored, state) : stored;
  const [events, policy, partition] = await Promise.all([
    caseEvents(complaint.id),
    getRoutingPolicy(),
    complaintPartition(complaint.id),
  ]);
  const row = registerRowOf(
    complaint,
    events satisfies RegisterEvent[],
    policy.calendar,
    visitsFromPartition(partition).map(visitSummary),
  );
  await putRegisterRow(row, stampOf(complaint), gmQueueEntryOf(complaint));
}

/** The GM's queue row on the register row, for complaints routed since it is one. */
function gmQueueEntryOf(complaint: RegisteredComplaint): GmQueueEntry | undefined {
  const { assessment } = complaint;
  if (!assessment || !gmListedByRegisterRow(complaint)) return undefined;
  const deadline = nextDeadline(caseStateOf(complaint), assessment);
  return {
    createdAt: complaint.createdAt,
    severity: assessment.severity,
    ...(deadline ? { nextDueAt: deadline.dueAt } : {}),
  };
}

function withState(complaint: RegisteredComplaint, state: CaseState): RegisteredComplaint {
  const {
    firstResponseAt: _first,
    proposal: _proposal,
    respondedAt: _responded,
    closedAt: _closed,
    ...rest
  } = complaint;
  return { ...rest, ...state };
}

const cursorSchema = z.object({ m: z.string().check(z.regex(/^\d{4}-\d{2}$/)), k: z.string() });

export function encodeCursor(month: string, sortKey: string): string {
  return Buffer.from(JSON.stringify({ m: month, k: sortKey })).toString('base64url');
}

export function decodeCursor(cursor: string): { month: string; sortKey: string } | undefined {
  try {
    const parsed = z.safeParse(
      cursorSchema,
      JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')),
    );
    return parsed.success ? { month: parsed.data.m, sortKey: parsed.data.k } : undefined;
  } catch {
    return undefined;
  }
}

export interface RegisterPage {
  rows: RegisterRow[];
  nextCursor?: string;
  /** Queries sent to make this page: for the bench. */
  queries: number;
}

/** One page of the register, oldest first; `cursor` continues where the last page ended. */
export async function registerPage(
  query: RegisterQuery,
  limit: number,
  cursor?: string,
): Promise<RegisterPage> {
  const range = periodBounds(query.from, query.to);
  const months = monthsBetween(query.from.slice(0, 7), query.to.slice(0, 7));
  const position = cursor ? decodeCursor(cursor) : undefined;
  const rows: RegisterRow[] = [];
  let queries = 0;
  let index = position ? Math.max(0, months.indexOf(position.month)) : 0;
  let after = position?.sortKey;
  while (index < months.length) {
    const month = months[index] ?? '';
    const page = await registerRowsOfMonth(month, range, query.filter, limit - rows.length, after);
    queries++;
    rows.push(...page.rows);
    if (page.next) {
      after = page.next;
      if (rows.length >= limit)
        return { rows, nextCursor: encodeCursor(month, page.next), queries };
      continue;
    }
    index++;
    after = undefined;
    if (rows.length >= limit) {
      const nextMonth = months[index];
      return {
        rows,
        ...(nextMonth ? { nextCursor: encodeCursor(nextMonth, '') } : {}),
        queries,
      };
    }
  }
  return { rows, queries };
}

/**
 * Every row of the query, page after page: exports stream this, never holding it all. The
 * next page is asked for before this one is handed on, so reading overlaps writing.
 */
export async function* registerRows(query: RegisterQuery, pageSize = 1000) {
  let pending: Promise<RegisterPage> | undefined = registerPage(query, pageSize);
  while (pending) {
    const page: RegisterPage = await pending;
    pending = page.nextCursor ? registerPage(query, pageSize, page.nextCursor) : undefined;
    // A consumer that stops early leaves the read ahead unawaited: its failure is not a crash.
    pending?.catch(() => undefined);
    yield* page.rows;
  }
}

/** What one statistics request cost: for the bench and the README. */
export interface StatisticsCost {
  /** Month summaries read fresh from the cache. */
  cachedMonths: number;
  /** Months whose rows were read (edge months of the period, or summaries out of date). */
  monthsRead: number;
  /** Register rows read in all (including the suggestions' window). */
  rowsRead: number;
}

async function allRows(
  month: string,
  range: { start: string; end: string },
  cost: StatisticsCost,
): Promise<RegisterRow[]> {
  const rows: RegisterRow[] = [];
  let after: string | undefined;
  do {
    const page = await registerRowsOfMonth(month, range, {}, 1000, after);
    rows.push(...page.rows);
    cost.rowsRead += page.rows.length;
    after = page.next;
  } while (after);
  return rows;
}

function monthRange(month: string): { start: string; end: string } {
  const { year, month: m } = monthParts(month);
  const last = new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10);
  return periodBounds(`${month}-01`, last);
}

/** A whole month's summary: the cached one when it is fresh, else recomputed and cached. */
async function monthSummary(month: string, cost: StatisticsCost): Promise<MonthSummary> {
  const stored = await getMonthSummary(month);
  if (stored.fresh) {
    cost.cachedMonths++;
    return stored.fresh;
  }
  cost.monthsRead++;
  const summary = summarise(await allRows(month, monthRange(month), cost));
  await putMonthSummary(month, summary, stored.changes);
  return summary;
}

export interface StatisticsOptions {
  now: Date;
  suggestions?: SuggestionSettings;
}

/**
 * The figures of [from, to] (China-time dates, inclusive): whole months from their cached
 * summaries, the partial first and last months from their rows, the trend from the twelve
 * months' summaries, the suggestions from the rows of their window ending at `to`.
 */
export async function computeStatistics(
  from: string,
  to: string,
  options: StatisticsOptions,
): Promise<{ figures: StatisticsFigures; cost: StatisticsCost }> {
  const cost: StatisticsCost = { cachedMonths: 0, monthsRead: 0, rowsRead: 0 };
  const range = periodBounds(from, to);
  // Nothing is received in the future: a month cut off only after now counts as whole.
  const now = options.now.toISOString();
  const firstMonth = from.slice(0, 7);
  const lastMonth = to.slice(0, 7);
  const summaries: MonthSummary[] = [];
  const byMonth = new Map<string, MonthSummary>();
  for (const month of monthsBetween(firstMonth, lastMonth)) {
    const whole = monthRange(month);
    if (range.start <= whole.start && (whole.end <= range.end || range.end >= now)) {
      const summary = await monthSummary(month, cost);
      byMonth.set(month, summary);
      summaries.push(summary);
    } else {
      cost.monthsRead++;
      // ISO instants in one format compare as text.
      const part = {
        start: [range.start, whole.start].sort()[1] ?? whole.start,
        end: [range.end, whole.end].sort()[0] ?? whole.end,
      };
      summaries.push(summarise(await allRows(month, part, cost)));
    }
  }
  const trendMonths = monthsBetween(shiftMonth(lastMonth, -11), lastMonth);
  const trend: { month: string; count: number }[] = [];
  for (const month of trendMonths) {
    const summary = byMonth.get(month) ?? (await monthSummary(month, cost));
    trend.push({ month, count: summary.total });
  }
  const suggestions = await suggestionsEnding(to, options.now, options.suggestions, cost);
  return {
    figures: figuresOf({ from, to }, mergeSummaries(summaries), trend, suggestions),
    cost,
  };
}

/** CAPA suggestions from the complaints of the `windowDays` ending with the day `to`. */
export async function suggestionsEnding(
  to: string,
  now: Date,
  settings: SuggestionSettings = defaultSuggestionSettings,
  cost: StatisticsCost = { cachedMonths: 0, monthsRead: 0, rowsRead: 0 },
): Promise<CapaSuggestion[]> {
  const end = periodBounds(to, to).end;
  const startDay = chinaDate(
    new Date(Date.parse(end) - settings.windowDays * 86_400_000).toISOString(),
  );
  const range = periodBounds(startDay, to);
  const months = monthsBetween(startDay.slice(0, 7), to.slice(0, 7));
  // The months' change counts, read before the rows: a row written meanwhile makes the next
  // read recompute, so the cache never hides a change.
  const changes = await Promise.all(months.map((month) => monthChanges(month)));
  const stamp = `${months.map((month, index) => `${month}:${changes[index] ?? 0}`).join(',')}|${settings.minimum}|${settings.windowDays}`;
  const cached = await getCachedSuggestions(to);
  if (cached?.stamp === stamp) {
    cost.cachedMonths += months.length;
    return cached.suggestions;
  }
  const rows: RegisterRow[] = [];
  for (const month of months) {
    cost.monthsRead++;
    rows.push(...(await allRows(month, range, cost)));
  }
  const suggestions = capaSuggestions(rows, settings);
  try {
    await putCachedSuggestions(to, stamp, suggestions, now);
  } catch (error) {
    // Past DynamoDB's 400 KB (thousands of repeated problems): answered, just not cached.
    if (!(error instanceof Error && error.name === 'ValidationException')) throw error;
  }
  return suggestions;
}

/** The CAPA form's query (the form is built by the CAPA work) prefilled from a suggestion. */
export function suggestionQuery(suggestion: CapaSuggestion): string {
  const query = new URLSearchParams({
    complaints: suggestion.references.join(','),
    category: suggestion.category,
    productModel: suggestion.productModel,
  });
  return query.toString().replaceAll('%2C', ',');
}

/** The link a suggestion offers, from the site's root: `/staff/capa/new?complaints=FB-…`. */
export function suggestionLink(suggestion: CapaSuggestion): string {
  return `/staff/capa/new?${suggestionQuery(suggestion)}`;
}

/**
 * Writes the register row of every complaint of a year, by reference (no Scan): for
 * complaints stored before the register existed, or to repair it. Idempotent.
 */
export async function rebuildRegister(year: number): Promise<{ rows: number; gaps: number }> {
  const allocated = await referencesAllocated(year);
  let rows = 0;
  let gaps = 0;
  for (let sequence = 1; sequence <= allocated; sequence++) {
    const complaint = await findComplaintByReference(formatReference(year, sequence));
    if (!complaint) {
      gaps++;
      continue;
    }
    await syncRegisterRow(complaint);
    rows++;
  }
  return { rows, gaps };
}

/** A visit in one register cell: its window, who went, and the report's finding. */
function visitSummary(visit: Visit): string {
  const visitor = visit.assignee.kind === 'outlet' ? visit.assignee.id : visit.assignee.name;
  const when = `${visit.date} ${visit.from}–${visit.to}`;
  return visit.report
    ? `${when} ${visitor}: ${visit.report.findings} (${visit.report.confirmedBy})`
    : `${when} ${visitor}`;
}
