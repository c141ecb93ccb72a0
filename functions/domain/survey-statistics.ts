/**
 * The tally of a year's survey over all customers (the procedure: "对所有用户的调查结果进行统计").
 *
 * Definitions (also printed in the report):
 * - response rate: answers ÷ customers invited, a fraction 0–1;
 * - per dimension: mean rating (1–5), distribution (how many answered 1, 2, 3, 4, 5) and the
 *   satisfied share (answers of 4 or 5 ÷ answers);
 * - satisfaction index: the mean of the six dimension means, mapped from the 1–5 scale to
 *   0–100: (mean − 1) ÷ 4 × 100. Every answer rates every dimension, so it is also the mean
 *   of all ratings on that scale;
 * - NPS: % promoters (9–10) − % detractors (0–6) of the 0–10 recommend question, −100 to 100.
 *
 * The tally is a pure function of the set of answers keyed by customer: two answers from
 * one customer (a redelivered message, a retried write) count once, whatever their order.
 */
import type { Language, Market } from './complaint.ts';
import { markets } from './complaint.ts';
import { type ComplaintGroup, complaintGroups } from './customer-history.ts';
import { recordOf } from './records.ts';
import {
  type Rating,
  type RatingDimension,
  type RecommendScore,
  ratingDimensions,
  recommendGroup,
  type SurveyAnswer,
  surveyCustomerKey,
} from './survey.ts';
import { type SurveyChannel, surveyChannels } from './survey-channels.ts';

/** One customer's answer with what the tally splits by. */
export interface SurveyResponse {
  email: string;
  company?: string;
  name?: string;
  market: Market;
  /** `CN-GD` style province code (domestic) or ISO country code (export). */
  region: string;
  language?: Language;
  answeredAt: string;
  answer: SurveyAnswer;
  /** How the answer came: the personal link (`email`, the default) or entered by staff. */
  channel?: SurveyChannel;
  /** Whether the customer complained in the year before answering, and how it ended. */
  complaint?: ComplaintGroup;
}

/** Counts of the ratings 1, 2, 3, 4, 5 (index 0 is rating 1). */
export type RatingCounts = [number, number, number, number, number];

export interface DimensionTally {
  count: number;
  mean: number | null;
  distribution: RatingCounts;
  /** Share of 4s and 5s, 0–1. */
  satisfiedShare: number | null;
}

export interface NpsTally {
  count: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** −100 to 100; null without answers. */
  score: number | null;
  /** Counts of the scores 0–10 (index = score). */
  distribution: number[];
}

export interface GroupTally {
  /** Customers invited in this group; null when not known. */
  invited: number | null;
  responses: number;
  /** responses ÷ invited, 0–1; null when invited is unknown or 0. */
  responseRate: number | null;
  dimensions: Record<RatingDimension, DimensionTally>;
  /** 0–100; null without answers. */
  satisfactionIndex: number | null;
  nps: NpsTally;
}

export interface RegionTally extends GroupTally {
  market: Market;
  region: string;
}

export interface SurveySuggestion {
  email: string;
  company?: string;
  name?: string;
  market: Market;
  region: string;
  answeredAt: string;
  overall: Rating;
  text: string;
}

/** The figures a year is compared on; keep this of each year to compare the next with it. */
export interface TallyHeadline {
  year: number;
  invited: number | null;
  responses: number;
  responseRate: number | null;
  satisfactionIndex: number | null;
  npsScore: number | null;
  means: Record<RatingDimension, number | null>;
}

/** This year minus last year (null where either is missing), with last year's figures. */
export interface YearOverYear {
  previous: TallyHeadline;
  /** Difference of the fractions (0.05 = 5 percentage points). */
  responseRate: number | null;
  satisfactionIndex: number | null;
  npsScore: number | null;
  means: Record<RatingDimension, number | null>;
}

export interface SurveyTally extends GroupTally {
  year: number;
  byMarket: Record<Market, GroupTally>;
  /**
   * By channel: answers by the channel they came by, invited by the channel the customer
   * was surveyed by (an email customer who answers by phone is invited by email).
   */
  byChannel: Record<SurveyChannel, GroupTally>;
  /**
   * By complaint: customers who complained in the year before answering, split by how the
   * handling ended, and those who did not. Only answers whose complaint history was looked
   * up count here (`complaint` set); invited is not known per group.
   */
  byComplaint: Record<ComplaintGroup, GroupTally>;
  /** Most answers first, then domestic before export, then by region code. */
  byRegion: RegionTally[];
  /** Oldest first. */
  suggestions: SurveySuggestion[];
  change: YearOverYear | null;
}

export interface InvitedCounts {
  total: number;
  byMarket?: Partial<Record<Market, number>>;
  /** Keyed by region code (`CN-GD`, `DE`). */
  byRegion?: Record<string, number>;
  byChannel?: Partial<Record<SurveyChannel, number>>;
}

export interface TallyInput {
  year: number;
  invited: number | InvitedCounts;
  /** Any iterable: an array, or `map.values()` of answers keyed by customer. */
  responses: Iterable<SurveyResponse>;
  lastYear?: TallyHeadline;
}

export function tallySurvey(input: TallyInput): SurveyTally {
  const invited: InvitedCounts =
    typeof input.invited === 'number' ? { total: input.invited } : input.invited;
  const responses = onePerCustomer(input.responses);

  const byMarket = recordOf(markets, (market) =>
    tallyGroup(
      responses.filter((r) => r.market === market),
      invited.byMarket?.[market] ?? null,
    ),
  );

  const byChannel = recordOf(surveyChannels, (channel) =>
    tallyGroup(
      responses.filter((r) => (r.channel ?? 'email') === channel),
      invited.byChannel?.[channel] ?? (invited.byChannel ? 0 : null),
    ),
  );

  const byComplaint = recordOf(complaintGroups, (group) =>
    tallyGroup(
      responses.filter((r) => r.complaint === group),
      null,
    ),
  );

  const regionGroups = new Map<
    string,
    Pick<SurveyResponse, 'market' | 'region'> & { responses: SurveyResponse[] }
  >();
  for (const response of responses) {
    const key = `${response.market}\u0000${response.region}`;
    const group = regionGroups.get(key);
    if (group) group.responses.push(response);
    else {
      regionGroups.set(key, {
        market: response.market,
        region: response.region,
        responses: [response],
      });
    }
  }
  const byRegion: RegionTally[] = [...regionGroups.values()].map((group) => ({
    market: group.market,
    region: group.region,
    ...tallyGroup(group.responses, invited.byRegion?.[group.region] ?? null),
  }));
  // Regions invited but silent are listed too: no answers is itself a finding.
  const answered = new Set(byRegion.map((group) => group.region));
  for (const [region, count] of Object.entries(invited.byRegion ?? {})) {
    if (count <= 0 || answered.has(region)) continue;
    const market: Market = region.startsWith('CN-') ? 'domestic' : 'export';
    byRegion.push({ market, region, ...tallyGroup([], count) });
  }
  byRegion.sort(
    (a, b) =>
      b.responses - a.responses ||
      markets.indexOf(a.market) - markets.indexOf(b.market) ||
      compareText(a.region, b.region),
  );

  const suggestions: SurveySuggestion[] = [];
  for (const response of responses) {
    const text = response.answer.suggestions?.trim();
    if (!text) continue;
    const suggestion: SurveySuggestion = {
      email: response.email,
      market: response.market,
      region: response.region,
      answeredAt: response.answeredAt,
      overall: response.answer.ratings.overall,
      text,
    };
    if (response.company !== undefined) suggestion.company = response.company;
    if (response.name !== undefined) suggestion.name = response.name;
    suggestions.push(suggestion);
  }
  suggestions.sort(
    (a, b) =>
      compareText(a.answeredAt, b.answeredAt) ||
      compareText(surveyCustomerKey(a.email), surveyCustomerKey(b.email)),
  );

  const overall = tallyGroup(responses, invited.total);
  const tally: SurveyTally = {
    year: input.year,
    ...overall,
    byMarket,
    byChannel,
    byComplaint,
    byRegion,
    suggestions,
    change: null,
  };
  if (input.lastYear) tally.change = compareYears(headlineOf(tally), input.lastYear);
  return tally;
}

export function headlineOf(tally: GroupTally & { year: number }): TallyHeadline {
  return {
    year: tally.year,
    invited: tally.invited,
    responses: tally.responses,
    responseRate: tally.responseRate,
    satisfactionIndex: tally.satisfactionIndex,
    npsScore: tally.nps.score,
    means: recordOf(ratingDimensions, (d) => tally.dimensions[d].mean),
  };
}

export function compareYears(current: TallyHeadline, previous: TallyHeadline): YearOverYear {
  return {
    previous,
    responseRate: difference(current.responseRate, previous.responseRate),
    satisfactionIndex: difference(current.satisfactionIndex, previous.satisfactionIndex),
    npsScore: difference(current.npsScore, previous.npsScore),
    means: recordOf(ratingDimensions, (d) => difference(current.means[d], previous.means[d])),
  };
}

function difference(current: number | null, previous: number | null): number | null {
  return current === null || previous === null ? null : current - previous;
}

/** Maps a mean on the 1–5 scale to 0–100. */
export function satisfactionIndexOf(meanRating: number): number {
  return ((meanRating - 1) / 4) * 100;
}

export function tallyGroup(responses: readonly SurveyResponse[], invited: number | null) {
  const dimensions = recordOf(ratingDimensions, (dimension) =>
    tallyRatings(responses.map((r) => r.answer.ratings[dimension])),
  );
  const means = ratingDimensions.map((d) => dimensions[d].mean);
  const satisfactionIndex = means.every((mean): mean is number => mean !== null)
    ? satisfactionIndexOf(means.reduce((sum, mean) => sum + mean, 0) / means.length)
    : null;
  const group: GroupTally = {
    invited,
    responses: responses.length,
    responseRate: invited !== null && invited > 0 ? responses.length / invited : null,
    dimensions,
    satisfactionIndex,
    nps: tallyRecommend(responses.map((r) => r.answer.recommend)),
  };
  return group;
}

export function tallyRatings(values: readonly Rating[]): DimensionTally {
  const countOf = (rating: Rating) => values.filter((value) => value === rating).length;
  const distribution: RatingCounts = [countOf(1), countOf(2), countOf(3), countOf(4), countOf(5)];
  const sum = values.reduce<number>((total, value) => total + value, 0);
  const count = values.length;
  return {
    count,
    mean: count > 0 ? sum / count : null,
    distribution,
    satisfiedShare: count > 0 ? (distribution[3] + distribution[4]) / count : null,
  };
}

export function tallyRecommend(values: readonly RecommendScore[]): NpsTally {
  const distribution = new Array<number>(11).fill(0);
  const groups = { promoter: 0, passive: 0, detractor: 0 };
  for (const value of values) {
    distribution[value] = (distribution[value] ?? 0) + 1;
    groups[recommendGroup(value)] += 1;
  }
  const count = values.length;
  return {
    count,
    promoters: groups.promoter,
    passives: groups.passive,
    detractors: groups.detractor,
    score: count > 0 ? ((groups.promoter - groups.detractor) / count) * 100 : null,
    distribution,
  };
}

/**
 * One answer per customer (by email, case-insensitive): the earliest, and of two equally
 * early ones the one whose canonical form sorts first, so the result does not depend on order.
 */
export function onePerCustomer(responses: Iterable<SurveyResponse>): SurveyResponse[] {
  const kept = new Map<string, { response: SurveyResponse; canonical: string }>();
  for (const response of responses) {
    const key = surveyCustomerKey(response.email);
    const candidate = { response, canonical: canonicalForm(response) };
    const current = kept.get(key);
    if (!current || compareText(candidate.canonical, current.canonical) < 0) {
      kept.set(key, candidate);
    }
  }
  return [...kept.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([, { response }]) => response);
}

// Starts with the answer time, so comparing canonical forms puts the earliest answer first.
function canonicalForm(response: SurveyResponse): string {
  const time = Date.parse(response.answeredAt);
  return JSON.stringify([
    Number.isNaN(time) ? response.answeredAt : new Date(time).toISOString(),
    ratingDimensions.map((d) => response.answer.ratings[d]),
    response.answer.recommend,
    response.answer.suggestions ?? null,
    response.market,
    response.region,
    response.company ?? null,
    response.name ?? null,
    response.language ?? null,
    response.email,
    response.channel ?? 'email',
  ]);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
