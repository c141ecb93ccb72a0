import { describe, expect, it } from 'vitest';
import {
  compareYears,
  headlineOf,
  onePerCustomer,
  tallyRatings,
  tallyRecommend,
  tallySurvey,
} from '#functions/domain/survey-statistics.ts';
import { a, b, c, d, e, f, knownAnswers, lastYear, redeliveredA } from './survey-fixtures.ts';

const tally = tallySurvey({
  year: 2026,
  invited: { total: 10, byMarket: { domestic: 6, export: 4 }, byRegion: { 'CN-GD': 3, DE: 2 } },
  responses: knownAnswers,
  lastYear,
});

/*
 * Hand computation over the six customers a–f (a redelivered and b's later copy do not count):
 *
 *                 a  b  c  d  e  f   sum  mean          distribution 1..5
 * quality         5  4  3  5  2  4   23   23/6 = 3.8333  0 1 1 2 2
 * delivery        4  3  2  5  3  4   21   21/6 = 3.5     0 1 2 2 1
 * documents       4  4  3  5  2  3   21   21/6 = 3.5     0 1 2 2 1
 * goods accuracy  5  5  4  5  4  5   28   28/6 = 4.6667  0 0 0 2 4
 * service         5  4  3  5  2  4   23   3.8333         0 1 1 2 2
 * overall         5  4  3  5  2  4   23   3.8333         0 1 1 2 2
 *                                   139   mean of means 139/36 = 3.8611
 * satisfaction index = (139/36 − 1) / 4 × 100 = 2575/36 = 71.5278
 * recommend 10 8 6 9 3 10: promoters 3 (10, 9, 10), passives 1 (8), detractors 2 (6, 3)
 * NPS = (3 − 2) / 6 × 100 = 16.6667; response rate = 6 / 10 = 0.6
 *
 * domestic a b c: sums 12 9 11 14 12 12 = 70 → index (70/18 − 1) × 25 = 72.2222,
 *   NPS (1 − 1) / 3 = 0, response rate 3 / 6 = 0.5
 * export d e f:   sums 11 12 10 14 11 11 = 69 → index (69/18 − 1) × 25 = 70.8333,
 *   NPS (2 − 1) / 3 × 100 = 33.3333, response rate 3 / 4 = 0.75
 * CN-GD a b: 28 + 24 = 52 of 12 ratings → index (52/12 − 1) × 25 = 83.3333, rate 2 / 3
 * change from 2025: response rate +0.1, index 71.5278 − 70 = 1.5278, NPS 16.6667 − 25 = −8.3333,
 *   quality −0.1667, delivery +0.5, documents 0, accuracy +0.1667, service −0.1667, overall −0.1667
 */
describe('tally of a known set of answers', () => {
  it('counts each customer once', () => {
    expect(tally.responses).toBe(6);
    expect(tally.invited).toBe(10);
    expect(tally.responseRate).toBeCloseTo(0.6, 10);
  });

  it('has the hand-computed means, distributions and satisfied shares', () => {
    const expected = {
      productQuality: [3.833333, [0, 1, 1, 2, 2], 0.666667],
      delivery: [3.5, [0, 1, 2, 2, 1], 0.5],
      documents: [3.5, [0, 1, 2, 2, 1], 0.5],
      goodsAccuracy: [4.666667, [0, 0, 0, 2, 4], 1],
      afterSalesService: [3.833333, [0, 1, 1, 2, 2], 0.666667],
      overall: [3.833333, [0, 1, 1, 2, 2], 0.666667],
    } as const;
    for (const [dimension, [mean, distribution, satisfied]] of Object.entries(expected)) {
      const actual = tally.dimensions[dimension as keyof typeof expected];
      expect(actual.count, dimension).toBe(6);
      expect(actual.mean, dimension).toBeCloseTo(mean, 5);
      expect(actual.distribution, dimension).toEqual(distribution);
      expect(actual.satisfiedShare, dimension).toBeCloseTo(satisfied, 5);
    }
  });

  it('has the hand-computed satisfaction index and NPS', () => {
    expect(tally.satisfactionIndex).toBeCloseTo(71.527778, 5);
    expect(tally.nps).toMatchObject({ count: 6, promoters: 3, passives: 1, detractors: 2 });
    expect(tally.nps.score).toBeCloseTo(16.666667, 5);
    expect(tally.nps.distribution).toEqual([0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 2]);
  });

  it('splits by market', () => {
    const { domestic, export: exported } = tally.byMarket;
    expect(domestic.responses).toBe(3);
    expect(domestic.responseRate).toBeCloseTo(0.5, 10);
    expect(domestic.satisfactionIndex).toBeCloseTo(72.222222, 5);
    expect(domestic.nps.score).toBeCloseTo(0, 10);
    expect(domestic.dimensions.documents.mean).toBeCloseTo(3.666667, 5);
    expect(exported.responses).toBe(3);
    expect(exported.responseRate).toBeCloseTo(0.75, 10);
    expect(exported.satisfactionIndex).toBeCloseTo(70.833333, 5);
    expect(exported.nps.score).toBeCloseTo(33.333333, 5);
  });

  it('lists regions that were invited but gave no answers', () => {
    const silent = tallySurvey({
      year: 2026,
      invited: { total: 13, byRegion: { 'CN-GD': 3, DE: 2, 'CN-FJ': 2, FR: 1 } },
      responses: knownAnswers,
    });
    const rows = silent.byRegion.map((r) => [r.region, r.market, r.invited, r.responses]);
    expect(rows.slice(-2)).toEqual([
      ['CN-FJ', 'domestic', 2, 0],
      ['FR', 'export', 1, 0],
    ]);
    expect(silent.byRegion.at(-1)?.responseRate).toBe(0);
  });

  it('splits by region, most answers first, domestic before export', () => {
    expect(tally.byRegion.map((r) => [r.region, r.responses])).toEqual([
      ['CN-GD', 2],
      ['DE', 2],
      ['CN-JS', 1],
      ['US', 1],
    ]);
    const guangdong = tally.byRegion[0];
    expect(guangdong?.satisfactionIndex).toBeCloseTo(83.333333, 5);
    expect(guangdong?.responseRate).toBeCloseTo(2 / 3, 10);
    expect(guangdong?.dimensions.productQuality.mean).toBeCloseTo(4.5, 10);
    // Invited count not given for Jiangsu: no rate rather than a wrong one.
    expect(tally.byRegion[2]?.responseRate).toBeNull();
  });

  it('has the change from last year', () => {
    const change = tally.change;
    expect(change?.previous.year).toBe(2025);
    expect(change?.responseRate).toBeCloseTo(0.1, 10);
    expect(change?.satisfactionIndex).toBeCloseTo(1.527778, 5);
    expect(change?.npsScore).toBeCloseTo(-8.333333, 5);
    expect(change?.means.productQuality).toBeCloseTo(-0.166667, 5);
    expect(change?.means.delivery).toBeCloseTo(0.5, 10);
    expect(change?.means.documents).toBeCloseTo(0, 10);
    expect(change?.means.goodsAccuracy).toBeCloseTo(0.166667, 5);
  });

  it('lists the suggestions, oldest first, with who made them', () => {
    expect(tally.suggestions.map((s) => [s.email, s.text, s.overall])).toEqual([
      ['a@gd.example.cn', '希望交货再快一些', 5],
      ['c@js.example.cn', 'Better packaging, please', 3],
      ['e@example.de', '<b>Certificates</b> were missing & late', 2],
    ]);
    expect(tally.suggestions[0]).toMatchObject({ company: '广州门窗厂', name: '张三' });
  });
});

describe('one answer per customer', () => {
  it('gives the same tally whatever the order and however often an answer is delivered', () => {
    const once = tallySurvey({ year: 2026, invited: 10, responses: [a, b, c, d, e, f] });
    const shuffled = tallySurvey({
      year: 2026,
      invited: 10,
      responses: [...knownAnswers].reverse().concat([redeliveredA, redeliveredA]),
    });
    expect(shuffled).toEqual(once);
  });

  it('keeps the earliest answer of a customer, comparing addresses without case', () => {
    const kept = onePerCustomer(knownAnswers);
    expect(kept).toHaveLength(6);
    expect(kept.find((r) => r.email.toLowerCase() === 'b@gd.example.cn')).toBe(b);
  });

  it('accepts answers keyed by customer', () => {
    const byCustomer = new Map([a, b, c].map((r) => [r.email, r]));
    expect(tallySurvey({ year: 2026, invited: 3, responses: byCustomer.values() }).responses).toBe(
      3,
    );
  });
});

describe('edge cases', () => {
  it('has no figures rather than zeros without answers', () => {
    const empty = tallySurvey({ year: 2026, invited: 0, responses: [] });
    expect(empty.responses).toBe(0);
    expect(empty.responseRate).toBeNull();
    expect(empty.satisfactionIndex).toBeNull();
    expect(empty.nps.score).toBeNull();
    expect(empty.dimensions.overall).toEqual({
      count: 0,
      mean: null,
      distribution: [0, 0, 0, 0, 0],
      satisfiedShare: null,
    });
    expect(empty.byMarket.export.responses).toBe(0);
    expect(empty.byRegion).toEqual([]);
    expect(empty.change).toBeNull();
  });

  it('maps all 5s to 100 and all 1s to 0', () => {
    const best = tallySurvey({ year: 2026, invited: 1, responses: [d] });
    expect(best.satisfactionIndex).toBe(100);
    expect(best.nps.score).toBe(100);
    const worst = tallySurvey({
      year: 2026,
      invited: 1,
      responses: [{ ...d, answer: { ...d.answer, ratings: ones } }],
    });
    expect(worst.satisfactionIndex).toBe(0);
  });

  it('counts ratings and recommend scores', () => {
    expect(tallyRatings([1, 5, 5, 3])).toEqual({
      count: 4,
      mean: 3.5,
      distribution: [1, 0, 1, 0, 2],
      satisfiedShare: 0.5,
    });
    expect(tallyRecommend([0, 6, 7, 8, 9, 10])).toMatchObject({
      promoters: 2,
      passives: 2,
      detractors: 2,
      score: 0,
    });
  });

  it('compares years only where both have a figure', () => {
    const current = headlineOf(tallySurvey({ year: 2026, invited: 0, responses: [] }));
    const change = compareYears(current, lastYear);
    expect(change.satisfactionIndex).toBeNull();
    expect(change.responseRate).toBeNull();
    expect(change.previous).toBe(lastYear);
  });

  it('keeps a headline that round-trips through JSON, to compare next year with', () => {
    const headline = headlineOf(tally);
    expect(JSON.parse(JSON.stringify(headline))).toEqual(headline);
    expect(headline.responses).toBe(6);
  });
});

const ones = {
  productQuality: 1,
  delivery: 1,
  documents: 1,
  goodsAccuracy: 1,
  afterSalesService: 1,
  overall: 1,
} as const;
