/**
 * The console's survey page (`/staff/surveys/{year}`): the printable questionnaires and call
 * lists of the user's departments, a search by name, company, email or code, and the form
 * for an answer taken by phone or from a returned questionnaire. Plain forms, no script.
 */
import type { FieldErrors } from '#functions/contract/fields.ts';
import { maxSuggestionsLength } from '#functions/contract/survey-answer.ts';
import type { SurveyInvitation } from '#functions/data/surveys.ts';
import type { DepartmentCode } from '#functions/domain/departments.ts';
import { departmentNames } from '#functions/domain/departments.ts';
import type { Bilingual } from '#functions/domain/labels.ts';
import {
  dimensionLabels,
  ratingDimensions,
  ratingLabels,
  ratings,
  recommendScores,
} from '#functions/domain/survey.ts';
import {
  type SurveyChannel,
  surveyChannelLabels,
  surveyChannels,
} from '#functions/domain/survey-channels.ts';
import { formatChinaTime } from '#functions/domain/working-hours.ts';
import type { StaffUser } from '#functions/services/staff-tokens.ts';
import { html, type SafeHtml } from '#functions/shared/html.ts';
import { staffPath } from '#functions/shared/staff-session.ts';
import { localizedMessage } from './pages.ts';
import { type ConsoleLanguage, consoleHeader, staffLayout, t } from './staff-pages.ts';

const styles = html`<style>
table{border-collapse:collapse;width:100%;table-layout:fixed}th,td{text-align:left;padding:.35rem .4rem;border-bottom:1px solid #e1e4ea;vertical-align:top;overflow-wrap:anywhere}
fieldset.scale label{display:inline-block;margin:.15rem .6rem .15rem 0;font-weight:400}fieldset{margin:.75rem 0}
textarea{width:100%;min-height:5rem}.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
.notice{border:1px solid #1b5fae;border-radius:6px;padding:.5rem 1rem}.refused{border-color:#a4262c;color:#a4262c}
</style>`;

export type EntryNotice =
  | { kind: 'recorded' }
  | { kind: 'already_answered'; answeredAt: string; channel: SurveyChannel }
  | { kind: 'not_in_survey' }
  | { kind: 'hidden' }
  | { kind: 'closed' };

export interface SurveyConsoleInput {
  user: StaffUser;
  csrf: string;
  lang: ConsoleLanguage;
  year: number;
  departments: readonly DepartmentCode[];
  query: string;
  results: readonly SurveyInvitation[];
  selected?: SurveyInvitation;
  notice?: EntryNotice;
  errors?: FieldErrors;
  values?: Record<string, string>;
}

function noticeText(notice: EntryNotice, lang: ConsoleLanguage): string {
  switch (notice.kind) {
    case 'recorded':
      return t(lang, '答卷已记录。', 'The answer is recorded.');
    case 'already_answered':
      return t(
        lang,
        `该客户本年度的调查已有答卷（${surveyChannelLabels[notice.channel].zh}，${formatChinaTime(notice.answeredAt)}），每位客户每年只记录一份，此次录入未保存。`,
        `This customer's survey of the year already has an answer (${surveyChannelLabels[notice.channel].en}, ${formatChinaTime(notice.answeredAt)}). One answer per customer and year: this entry was not recorded.`,
      );
    case 'not_in_survey':
      return t(lang, '该客户不在本年度的调查中。', 'This customer is not in this year’s survey.');
    case 'hidden':
      return t(lang, '该客户不属于您的部门。', 'This customer belongs to another department.');
    case 'closed':
      return t(
        lang,
        '本年度调查已结束，不再录入答卷。',
        'This year’s survey has closed: no more answers are entered.',
      );
  }
}

function answeredBy(invitation: SurveyInvitation, lang: ConsoleLanguage): string {
  if (!invitation.answeredAt) return '';
  const channel = surveyChannelLabels[invitation.answerChannel ?? 'email'][lang];
  const by = invitation.enteredBy ? ` · ${invitation.enteredBy.name}` : '';
  return `${formatChinaTime(invitation.answeredAt)} · ${channel}${by}`;
}

function link(year: number, params: Record<string, string>, lang: ConsoleLanguage): string {
  const query = new URLSearchParams({ ...params, ...(lang === 'en' ? { lang: 'en' } : {}) });
  const text = query.toString();
  return `${staffPath(`/surveys/${year}`)}${text ? `?${text}` : ''}`;
}

function entryForm(input: SurveyConsoleInput, invitation: SurveyInvitation): SafeHtml {
  const { lang, year } = input;
  const values = input.values ?? {};
  const errors = input.errors ?? {};
  const error = (name: string) =>
    errors[name]
      ? html`<p class="error" id="${name}-error">${localizedMessage(errors[name], lang)}</p>`
      : '';
  const described = (name: string) => (errors[name] ? html` aria-describedby="${name}-error"` : '');
  const choice = (name: string, value: number, label: string) =>
    html`<label><input type="radio" name="${name}" value="${value}" required${values[name] === String(value) ? html` checked` : ''}> ${label}</label>`;
  const defaultChannel = values.channel ?? invitation.channel ?? 'phone';
  const title: Bilingual = { zh: '录入答卷', en: 'Enter the answer' };
  return html`<section class="card" aria-labelledby="entry"><h2 id="entry">${title[lang]}: ${invitation.company ?? ''} ${invitation.name ?? ''} <small>${invitation.code ?? invitation.email}</small></h2>
<form method="post" action="${staffPath(`/surveys/${year}/answers`)}${lang === 'en' ? '?lang=en' : ''}" accept-charset="utf-8">
<input type="hidden" name="csrf" value="${input.csrf}">
<input type="hidden" name="customer" value="${invitation.email}">
<label for="channel">${t(lang, '答卷来源', 'Answered by')}</label>
<select id="channel" name="channel">${surveyChannels.map(
    (channel) =>
      html`<option value="${channel}"${channel === defaultChannel ? html` selected` : ''}>${surveyChannelLabels[channel][lang]}</option>`,
  )}</select>
${ratingDimensions.map(
  (dimension) =>
    html`<fieldset class="scale"${described(dimension)}><legend>${dimensionLabels[dimension][lang]}</legend>${ratings.map((rating) => choice(dimension, rating, `${rating} ${ratingLabels[rating][lang]}`))}${error(dimension)}</fieldset>`,
)}
<fieldset class="scale"${described('recommend')}><legend>${t(lang, '推荐意愿（0–10）', 'Likelihood to recommend (0–10)')}</legend>${recommendScores.map((score) => choice('recommend', score, String(score)))}${error('recommend')}</fieldset>
<label for="suggestions">${t(lang, '意见和建议', 'Comments and suggestions')}</label>
<textarea id="suggestions" name="suggestions" maxlength="${maxSuggestionsLength}"${described('suggestions')}>${values.suggestions ?? ''}</textarea>
${error('suggestions')}
<p>${t(lang, '录入人', 'Entered by')}: ${input.user.name}</p>
<p><button type="submit">${t(lang, '保存答卷', 'Save the answer')}</button></p>
</form></section>`;
}

export function surveyConsolePage(input: SurveyConsoleInput): SafeHtml {
  const { lang, year } = input;
  const title = t(lang, `${year} 年满意度调查`, `Satisfaction survey ${year}`);
  const selected = input.selected;
  return staffLayout(
    title,
    html`${styles}
<h1>${title}</h1>
${input.notice ? html`<div class="notice${input.notice.kind === 'recorded' ? '' : ' refused'}" role="${input.notice.kind === 'recorded' ? 'status' : 'alert'}"><p>${noticeText(input.notice, lang)}</p></div>` : ''}
${
  input.departments.length > 0
    ? html`<h2>${t(lang, '电话、传真和邮寄调查', 'Surveys by phone, fax and post')}</h2>
<ul>${input.departments.map(
        (department) =>
          html`<li>${departmentNames[department][lang]}: <a href="${staffPath(`/surveys/${year}/forms`)}?department=${department}">${t(lang, '打印调查表（A4）', 'Printable questionnaires (A4)')}</a> · <a href="${staffPath(`/surveys/${year}/calls`)}?department=${department}">${t(lang, '电话调查名单', 'Call list')}</a> (<a href="${staffPath(`/surveys/${year}/calls`)}?department=${department}&amp;format=csv">CSV</a>)</li>`,
      )}</ul>`
    : ''
}
<h2>${t(lang, '查找客户', 'Find a customer')}</h2>
<form method="get" action="${staffPath(`/surveys/${year}`)}" class="search" role="search">
${lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<div><label for="q">${t(lang, '单位、姓名、邮箱或调查编号', 'Company, name, email or survey code')}</label>
<input id="q" name="q" type="search" value="${input.query}" maxlength="100"></div>
<div><button type="submit">${t(lang, '查找', 'Search')}</button></div>
</form>
${
  input.results.length === 0
    ? html`<p>${t(lang, '没有找到。', 'No customer found.')}</p>`
    : html`<table><caption>${t(lang, `找到 ${input.results.length} 位客户`, `${input.results.length} customers found`)}</caption><thead><tr><th scope="col">${t(lang, '编号', 'Code')}</th><th scope="col">${t(lang, '单位', 'Company')}</th><th scope="col">${t(lang, '联系人', 'Contact')}</th><th scope="col">${t(lang, '方式', 'Channel')}</th><th scope="col">${t(lang, '答卷', 'Answer')}</th></tr></thead><tbody>
${input.results.map(
  (invitation) => html`<tr><td>${invitation.code ?? '—'}</td><td>${invitation.company ?? ''}</td>
<td><a href="${link(year, { q: input.query, customer: invitation.email }, lang)}">${invitation.name ?? invitation.email}</a></td>
<td>${surveyChannelLabels[invitation.channel ?? 'email'][lang]}</td>
<td>${invitation.answeredAt ? answeredBy(invitation, lang) : t(lang, '未答', 'not yet')}</td></tr>`,
)}</tbody></table>`
}
${
  selected
    ? selected.answeredAt
      ? html`<section class="card"><h2>${selected.company ?? ''} ${selected.name ?? ''}</h2><p>${t(lang, '已答', 'Answered')}: ${answeredBy(selected, lang)}</p></section>`
      : entryForm(input, selected)
    : ''
}`,
    lang,
    consoleHeader(input.user, input.csrf, lang, `/surveys/${year}`),
  );
}
