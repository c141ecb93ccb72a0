/**
 * A posted survey answer (the form on the invitation link, or JSON). The form's field names
 * are the rating dimensions, `recommend` and `suggestions`; a form sends numbers as text.
 */
import * as z from 'zod/mini';
import { recordOf } from '#functions/domain/records.ts';
import {
  ratingDimensions,
  ratings,
  recommendScores,
  type SurveyAnswer,
} from '#functions/domain/survey.ts';
import { message, type ParseResult, parseWith, text } from './fields.ts';

export const maxSuggestionsLength = 3000;

const required = message('Required', '必填');

// "4" and " 4 " become 4; anything else (3.5, "4a", "") is left for the literal check to refuse.
const wholeNumberText = /^\d{1,2}$/;
function numberFromText(value: unknown): unknown {
  if (typeof value === 'string' && wholeNumberText.test(value.trim())) return Number(value.trim());
  return value;
}

function scale<const T extends readonly number[]>(values: T, invalid: string) {
  return z.pipe(
    z.transform(numberFromText),
    z.literal(values, {
      error: (issue) => (issue.input === undefined ? required : invalid),
    }),
  );
}

// Built on the first answer parsed (z.lazy), not at import.
export const surveyAnswerSubmission = z.lazy(() => {
  const rating = scale(ratings, message('Choose a rating from 1 to 5', '请选择 1–5 分'));
  const recommend = scale(
    recommendScores,
    message('Choose a number from 0 to 10', '请选择 0–10 之间的数字'),
  );

  const ratingFields = recordOf(ratingDimensions, () => rating);

  return z.pipe(
    z.object(
      {
        ...ratingFields,
        recommend,
        suggestions: z.optional(text(maxSuggestionsLength, { singleLine: false })),
      },
      message('Expected an object with the survey answers', '须为包含调查答案的对象'),
    ),
    z.transform((value): SurveyAnswer => {
      const answer: SurveyAnswer = {
        ratings: recordOf(ratingDimensions, (dimension) => value[dimension]),
        recommend: value.recommend,
      };
      if (value.suggestions !== undefined) answer.suggestions = value.suggestions;
      return answer;
    }),
  );
});

/** Field names (as the form posts them) → bilingual messages, or the answer. */
export function parseSurveyAnswer(input: unknown): ParseResult<SurveyAnswer> {
  return parseWith(surveyAnswerSubmission, input);
}

/** The answer as form values, to fill the form in again (e.g. after an error elsewhere). */
export function surveyAnswerFormValues(answer: SurveyAnswer): Record<string, string> {
  const values: Record<string, string> = {};
  for (const dimension of ratingDimensions) values[dimension] = String(answer.ratings[dimension]);
  values.recommend = String(answer.recommend);
  if (answer.suggestions !== undefined) values.suggestions = answer.suggestions;
  return values;
}
