/** A known year of survey answers, shared by the statistics and report tests. */

import type { Rating, RecommendScore } from '#functions/domain/survey.ts';
import type { SurveyResponse, TallyHeadline } from '#functions/domain/survey-statistics.ts';

type Six = [Rating, Rating, Rating, Rating, Rating, Rating];

export function response(
  email: string,
  market: SurveyResponse['market'],
  region: string,
  answeredAt: string,
  [productQuality, delivery, documents, goodsAccuracy, afterSalesService, overall]: Six,
  recommend: RecommendScore,
  extra: { suggestions?: string; company?: string; name?: string } = {},
): SurveyResponse {
  const result: SurveyResponse = {
    email,
    market,
    region,
    answeredAt,
    answer: {
      ratings: { productQuality, delivery, documents, goodsAccuracy, afterSalesService, overall },
      recommend,
    },
  };
  if (extra.suggestions !== undefined) result.answer.suggestions = extra.suggestions;
  if (extra.company !== undefined) result.company = extra.company;
  if (extra.name !== undefined) result.name = extra.name;
  return result;
}

// Ratings in the order quality, delivery, documents, goods accuracy, service, overall; then recommend.
export const a = response(
  'a@gd.example.cn',
  'domestic',
  'CN-GD',
  '2026-01-16T02:00:00.000Z',
  [5, 4, 4, 5, 5, 5],
  10,
  { suggestions: '希望交货再快一些', company: '广州门窗厂', name: '张三' },
);
export const b = response(
  'b@gd.example.cn',
  'domestic',
  'CN-GD',
  '2026-01-17T02:00:00.000Z',
  [4, 3, 4, 5, 4, 4],
  8,
  { company: '佛山幕墙' },
);
export const c = response(
  'c@js.example.cn',
  'domestic',
  'CN-JS',
  '2026-01-18T02:00:00.000Z',
  [3, 2, 3, 4, 3, 3],
  6,
  { suggestions: 'Better packaging, please', company: '苏州建材' },
);
export const d = response(
  'd@example.de',
  'export',
  'DE',
  '2026-01-20T02:00:00.000Z',
  [5, 5, 5, 5, 5, 5],
  9,
  { company: 'Fenster GmbH' },
);
export const e = response(
  'e@example.de',
  'export',
  'DE',
  '2026-01-21T02:00:00.000Z',
  [2, 3, 2, 4, 2, 2],
  3,
  { suggestions: '<b>Certificates</b> were missing & late', company: 'Bau "AG"' },
);
export const f = response(
  'f@example.com',
  'export',
  'US',
  '2026-01-22T02:00:00.000Z',
  [4, 4, 3, 5, 4, 4],
  10,
  { company: 'Windows Inc.' },
);

/** The same customers, once more: `a` redelivered as is, `b` under another case, later. */
export const redeliveredA = structuredClone(a);
export const laterB = response(
  'B@GD.example.cn',
  'domestic',
  'CN-GD',
  '2026-01-25T02:00:00.000Z',
  [1, 1, 1, 1, 1, 1],
  0,
  { suggestions: 'should not count' },
);

export const knownAnswers = [a, b, c, d, e, f, redeliveredA, laterB];

export const lastYear: TallyHeadline = {
  year: 2025,
  invited: 8,
  responses: 4,
  responseRate: 0.5,
  satisfactionIndex: 70,
  npsScore: 25,
  means: {
    productQuality: 4,
    delivery: 3,
    documents: 3.5,
    goodsAccuracy: 4.5,
    afterSalesService: 4,
    overall: 4,
  },
};
