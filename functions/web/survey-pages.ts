/**
 * The survey pages behind a personal link: the questionnaire in the customer's language
 * (a plain form, no JavaScript), the thank-you page and the pages that refuse a link.
 */
import type { FieldErrors } from '#functions/contract/fields.ts';
import { maxSuggestionsLength } from '#functions/contract/survey-answer.ts';
import type { Language } from '#functions/domain/complaint.ts';
import {
  dimensionQuestions,
  ratingDimensions,
  ratingLabels,
  ratings,
  recommendQuestion,
  recommendScores,
  suggestionsQuestion,
  surveyTitle,
} from '#functions/domain/survey.ts';
import { html, type SafeHtml } from '#functions/shared/html.ts';
import { htmlLang, layout, localizedMessage, messagePage } from './pages.ts';

const words = {
  intro: {
    zh: '感谢您一年来的支持。请花几分钟时间评价我们的产品质量、合同履行和售后服务，您的意见将提交公司管理评审。',
    en: 'Thank you for your business this year. Please take a few minutes to rate our products, contract performance and after-sales service; your answers go to our management review.',
  },
  errors: { zh: '请回答标出的问题。', en: 'Please answer the questions marked below.' },
  submit: { zh: '提交', en: 'Submit' },
  optOut: { zh: '不想再收到满意度调查？', en: 'Rather not be asked again?' },
  optOutLink: { zh: '不再询问我', en: 'Do not ask me again' },
  thanksTitle: { zh: '感谢您的评价', en: 'Thank you' },
  thanks: {
    zh: '您的意见已记录，我们将认真改进。',
    en: 'Your answers are recorded. We will use them to improve.',
  },
} as const;

export interface SurveyFormInput {
  language: Language;
  action: string;
  /** The same "do not ask me again" as the mail's unsubscribe link, for this link's address. */
  optOutUrl?: string;
  company?: string;
  values?: Record<string, string>;
  errors?: FieldErrors;
}

export function surveyFormPage(form: SurveyFormInput): SafeHtml {
  const lang = form.language;
  const values = form.values ?? {};
  const errors = form.errors ?? {};
  const error = (name: string) =>
    errors[name]
      ? html`<div class="error" id="${name}-error">${localizedMessage(errors[name], lang)}</div>`
      : '';
  // A question with an error names it for screen readers, and the summary links to it.
  const described = (name: string) =>
    errors[name] ? html` id="${name}-question" aria-describedby="${name}-error"` : '';
  const choice = (name: string, value: number, label: string) =>
    html`<label><input type="radio" name="${name}" value="${value}" required${values[name] === String(value) ? html` checked` : ''}>${label}</label>`;
  return layout(
    surveyTitle[lang],
    html`<h1>${surveyTitle[lang]}</h1>
${form.company ? html`<p><strong>${form.company}</strong></p>` : ''}
<p>${words.intro[lang]}</p>
${
  Object.keys(errors).length > 0
    ? html`<div class="summary" role="alert"><p>${words.errors[lang]}</p><ul>${Object.keys(
        errors,
      ).map(
        (name) =>
          html`<li><a href="#${name === 'suggestions' ? name : `${name}-question`}">${questionText(name, lang)}</a></li>`,
      )}</ul></div>`
    : ''
}
<form method="post" action="${form.action}" accept-charset="utf-8">
${ratingDimensions.map(
  (
    dimension,
  ) => html`<fieldset class="scale"${described(dimension)}><legend>${dimensionQuestions[dimension][lang]}</legend>
${ratings.map((rating) => choice(dimension, rating, `${rating} ${ratingLabels[rating][lang]}`))}
${error(dimension)}</fieldset>`,
)}
<fieldset class="scale"${described('recommend')}><legend>${recommendQuestion[lang]}</legend>
${recommendScores.map((score) => choice('recommend', score, String(score)))}
${error('recommend')}</fieldset>
<label for="suggestions">${suggestionsQuestion[lang]}</label>
<textarea id="suggestions" name="suggestions" maxlength="${maxSuggestionsLength}"${errors.suggestions ? html` aria-describedby="suggestions-error" aria-invalid="true"` : ''}>${values.suggestions ?? ''}</textarea>
${error('suggestions')}
<p><button type="submit">${words.submit[lang]}</button></p>
</form>
${form.optOutUrl ? html`<p class="privacy">${words.optOut[lang]} <a href="${form.optOutUrl}">${words.optOutLink[lang]}</a></p>` : ''}`,
    htmlLang[lang],
  );
}

export function surveyThanksPage(language: Language): SafeHtml {
  return messagePage(words.thanksTitle, words.thanks, language);
}

export type SurveyRefusal = 'unknown' | 'used' | 'expired' | 'closed';

interface Refusal {
  title: Record<Language, string>;
  text: Record<Language, string>;
}

const surveyClosed: Refusal = {
  title: { zh: '调查已结束', en: 'Survey closed' },
  text: {
    zh: '本年度满意度调查已结束，无法再提交。感谢您的关注。',
    en: 'This year’s satisfaction survey has closed and no longer takes answers. Thank you.',
  },
};

const refusals: Record<SurveyRefusal, Refusal> = {
  unknown: {
    title: { zh: '链接无效', en: 'This link does not work' },
    text: {
      zh: '该调查链接无效。请使用邮件中的完整链接。',
      en: 'This survey link is not valid. Please use the complete link from your email.',
    },
  },
  used: {
    title: { zh: '已提交', en: 'Already answered' },
    text: {
      zh: '您已提交本年度的调查，感谢您的参与。',
      en: 'You have already answered this year’s survey. Thank you.',
    },
  },
  // An expired link and a closed campaign are the same thing to the customer.
  expired: surveyClosed,
  closed: surveyClosed,
};

/** An unknown link cannot tell us the customer's language, so that page speaks both. */
export function surveyRefusedPage(reason: SurveyRefusal, language?: Language): SafeHtml {
  const refusal = refusals[reason];
  return messagePage(refusal.title, refusal.text, language);
}

function questionText(name: string, language: Language): string {
  if (name === 'recommend') return recommendQuestion[language];
  if (name === 'suggestions') return suggestionsQuestion[language];
  const dimension = ratingDimensions.find((candidate) => candidate === name);
  return dimension ? dimensionQuestions[dimension][language] : name;
}
