import { describe, expect, it } from 'vitest';
import {
  maxSuggestionsLength,
  parseSurveyAnswer,
  surveyAnswerFormValues,
} from '#functions/contract/survey-answer.ts';

// As a form posts it: every value a string.
const form = {
  productQuality: '5',
  delivery: '4',
  documents: '3',
  goodsAccuracy: '5',
  afterSalesService: '4',
  overall: '4',
  recommend: '9',
  suggestions: '  请提前通知发货时间。\r\n谢谢  ',
  token: 'ignored-hidden-field',
};

function errorsOf(input: unknown): Record<string, string> {
  const result = parseSurveyAnswer(input);
  if (result.ok) throw new Error('expected a validation failure');
  return result.errors;
}

describe('survey answer', () => {
  it('reads a form post into the answer, trimming the suggestions', () => {
    expect(parseSurveyAnswer(form)).toEqual({
      ok: true,
      value: {
        ratings: {
          productQuality: 5,
          delivery: 4,
          documents: 3,
          goodsAccuracy: 5,
          afterSalesService: 4,
          overall: 4,
        },
        recommend: 9,
        suggestions: '请提前通知发货时间。\r\n谢谢',
      },
    });
  });

  it('accepts JSON numbers and padded text', () => {
    const result = parseSurveyAnswer({ ...form, productQuality: 1, recommend: ' 0 ' });
    expect(result.ok && result.value.ratings.productQuality).toBe(1);
    expect(result.ok && result.value.recommend).toBe(0);
  });

  it('treats blank suggestions as none', () => {
    const result = parseSurveyAnswer({ ...form, suggestions: '   ' });
    expect(result.ok && result.value).not.toHaveProperty('suggestions');
  });

  it.each(['0', '6', '3.5', '4a', '-1', 'five', true, 4.0000001])(
    'refuses the rating %j with a bilingual message',
    (value) => {
      expect(errorsOf({ ...form, delivery: value })).toEqual({
        delivery: 'Choose a rating from 1 to 5 / 请选择 1–5 分',
      });
    },
  );

  it.each(['11', '-1', '7.5', 'x'])('refuses the recommend score %j', (value) => {
    expect(errorsOf({ ...form, recommend: value }).recommend).toMatch(/0 to 10.*0–10/);
  });

  it('requires every rating and the recommend score, naming each field', () => {
    const errors = errorsOf({ overall: '', suggestions: 'only this' });
    expect(Object.keys(errors).sort()).toEqual(
      [
        'productQuality',
        'delivery',
        'documents',
        'goodsAccuracy',
        'afterSalesService',
        'overall',
        'recommend',
      ].sort(),
    );
    expect(errors.overall).toBe('Required / 必填');
  });

  it('bounds the suggestions and refuses control characters', () => {
    expect(parseSurveyAnswer({ ...form, suggestions: 's'.repeat(maxSuggestionsLength) }).ok).toBe(
      true,
    );
    expect(
      errorsOf({ ...form, suggestions: 's'.repeat(maxSuggestionsLength + 1) }).suggestions,
    ).toMatch(/At most 3000/);
    expect(errorsOf({ ...form, suggestions: 'a\u0000b' }).suggestions).toMatch(/控制字符/);
  });

  it('requires an object', () => {
    expect(errorsOf('5')).toHaveProperty('_');
    expect(errorsOf(null)).toHaveProperty('_');
  });

  it('turns an answer back into form values that parse to the same answer', () => {
    const parsed = parseSurveyAnswer(form);
    if (!parsed.ok) throw new Error('expected a valid answer');
    const values = surveyAnswerFormValues(parsed.value);
    expect(values.recommend).toBe('9');
    expect(parseSurveyAnswer(values)).toEqual(parsed);
  });
});
