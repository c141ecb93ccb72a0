/**
 * The survey on paper: for each department, the call list of its phone customers and a
 * printable questionnaire per phone, fax and post customer — the same questions as the
 * online survey, in Chinese and English, one A4 page each, with the customer's short code
 * so staff find the survey when the form comes back. Plain HTML with print CSS (no script),
 * written by `npm run survey:forms` and served by the console.
 */

import type { Bilingual } from '#functions/domain/labels.ts';
import { marketLabels } from '#functions/domain/labels.ts';
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
import { surveyChannelLabels } from '#functions/domain/survey-channels.ts';
import { html, SafeHtml } from '#functions/shared/html.ts';

/** What a form or a call-list row needs of a customer's survey (an invitation). */
export interface PaperSurvey {
  email: string;
  name?: string;
  company?: string;
  market: 'domestic' | 'export';
  language: 'zh' | 'en';
  channel?: 'phone' | 'fax' | 'post';
  code?: string;
  phone?: string;
  fax?: string;
  postalAddress?: string;
  answeredAt?: string;
}

const both = (label: Bilingual) => `${label.zh} ${label.en}`;

const printStyles = new SafeHtml(`<style>
@page{size:A4;margin:12mm}
*{box-sizing:border-box}
body{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#111;margin:0 auto;max-width:186mm;font-size:9.5pt;line-height:1.3}
.form{break-after:page;page-break-after:always;padding:0}
.form:last-child{break-after:auto;page-break-after:auto}
h1{font-size:14pt;margin:0 0 1mm}h2{font-size:11pt;margin:0}
.head{display:grid;grid-template-columns:1fr auto;gap:2mm;border-bottom:1.5px solid #111;padding-bottom:2mm;margin-bottom:2mm}
.code{font:700 13pt/1.1 ui-monospace,monospace;border:1.5px solid #111;padding:1.5mm 3mm;text-align:center}
.code small{display:block;font:8pt system-ui,sans-serif}
.who{margin:1mm 0 2mm}.who dt{font-weight:600;display:inline}.who dd{display:inline;margin:0 4mm 0 1mm}
.en{color:#333}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #555;padding:1mm 1.2mm;vertical-align:middle}
th{font-weight:600;background:#eee}td.q{width:55%}td.box,th.box{text-align:center;width:9%}
.tick{display:inline-block;width:3.6mm;height:3.6mm;border:1px solid #111}
.nps td{text-align:center;padding:1mm .5mm}
.lines{border:1px solid #555;height:30mm;margin-top:1mm}
.foot{margin-top:2mm;display:grid;grid-template-columns:1fr 1fr 1fr;gap:3mm}
.foot div{border-bottom:1px solid #111;padding-top:6mm;font-size:8.5pt}
p{margin:1mm 0}
.list th,.list td{font-size:9pt}
@media screen{body{padding:1rem}.form{border-bottom:2px dashed #999;margin-bottom:1rem;padding-bottom:1rem}}
</style>`);

const intro: Bilingual = {
  zh: '感谢您一年来的支持。请在每个问题后选择一个分数（在方框内打 ✓），填写后请传真或邮寄回我公司。',
  en: 'Thank you for your business this year. Please tick one box for each question and fax or post the completed form back to us.',
};

/** One customer's questionnaire: one A4 page, both languages. */
function questionnaire(survey: PaperSurvey, year: number, company: Bilingual): SafeHtml {
  const channel = survey.channel ? both(surveyChannelLabels[survey.channel]) : '';
  const contact =
    survey.channel === 'fax'
      ? survey.fax
      : survey.channel === 'phone'
        ? survey.phone
        : survey.postalAddress;
  return html`<section class="form" aria-label="${survey.code ?? ''}">
<div class="head"><div><p>${company.zh} · <span class="en" lang="en">${company.en}</span></p>
<h1>${year} 年${surveyTitle.zh} · <span lang="en">${surveyTitle.en} ${year}</span></h1></div>
<div class="code">${survey.code ?? ''}<small>调查编号 Survey code</small></div></div>
<dl class="who"><dt>单位 Company</dt><dd>${survey.company ?? '—'}</dd><dt>联系人 Contact</dt><dd>${survey.name ?? '—'}</dd><dt>${channel}</dt><dd>${contact ?? ''}</dd></dl>
<p>${intro.zh}<br><span class="en" lang="en">${intro.en}</span></p>
<table>
<thead><tr><th scope="col">问题 Question</th>${ratings.map(
    (rating) =>
      html`<th scope="col" class="box">${rating}<br>${ratingLabels[rating].zh}<br><span lang="en">${ratingLabels[rating].en}</span></th>`,
  )}</tr></thead>
<tbody>${ratingDimensions.map(
    (dimension, index) =>
      html`<tr><td class="q">${index + 1}. ${dimensionQuestions[dimension].zh}<br><span class="en" lang="en">${dimensionQuestions[dimension].en}</span></td>${ratings.map(
        () => html`<td class="box"><span class="tick"></span></td>`,
      )}</tr>`,
  )}</tbody></table>
<p><strong>7.</strong> ${recommendQuestion.zh}<br><span class="en" lang="en">${recommendQuestion.en}</span></p>
<table class="nps"><tr>${recommendScores.map((score) => html`<td>${score}<br><span class="tick"></span></td>`)}</tr></table>
<p><strong>8.</strong> ${suggestionsQuestion.zh}<br><span class="en" lang="en">${suggestionsQuestion.en}</span></p>
<div class="lines"></div>
<div class="foot"><div>填表人 Completed by</div><div>日期 Date</div><div>签字/盖章 Signature / stamp</div></div>
</section>`;
}

export interface PaperOptions {
  year: number;
  department: string;
  departmentName: Bilingual;
  company: Bilingual;
}

/** Every questionnaire of a department in one document: print it, one page per customer. */
export function questionnairesDocument(
  surveys: readonly PaperSurvey[],
  options: PaperOptions,
): SafeHtml {
  const title = `${options.year} ${surveyTitle.zh} · ${options.departmentName.zh} ${options.departmentName.en}`;
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>${printStyles}</head>
<body><main>${
    surveys.length === 0
      ? html`<p>没有电话、传真或邮寄调查的客户。No customers surveyed by phone, fax or post.</p>`
      : surveys.map((survey) => questionnaire(survey, options.year, options.company))
  }</main></body></html>`;
}

/** The department's call list: its phone customers with their codes, to tick off as they answer. */
export function callListDocument(surveys: readonly PaperSurvey[], options: PaperOptions): SafeHtml {
  const calls = surveys.filter((survey) => survey.channel === 'phone');
  const title = `${options.year} 电话调查名单 Call list · ${options.departmentName.zh} ${options.departmentName.en}`;
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>${printStyles}</head>
<body><main><h1>${title}</h1>
<p>${calls.length} 位客户 customers. 问卷内容见调查表 The questions are those of the printed form.</p>
<table class="list"><thead><tr><th scope="col">调查编号 Code</th><th scope="col">单位 Company</th><th scope="col">联系人 Contact</th><th scope="col">电话 Phone</th><th scope="col">语言 Language</th><th scope="col">市场 Market</th><th scope="col">已答 Answered</th></tr></thead>
<tbody>${calls.map(
    (survey) =>
      html`<tr><td>${survey.code ?? ''}</td><td>${survey.company ?? ''}</td><td>${survey.name ?? ''}</td><td>${survey.phone ?? ''}</td><td>${survey.language === 'zh' ? '中文' : 'English'}</td><td>${both(marketLabels[survey.market])}</td><td>${survey.answeredAt ? '✓' : ''}</td></tr>`,
  )}</tbody></table></main></body></html>`;
}

function csvCell(value: string): string {
  // A cell starting with = + - @ would be a formula in Excel: prefix it with a quote.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The call list as CSV (UTF-8 with BOM, CRLF) for Excel. */
export function callListCsv(surveys: readonly PaperSurvey[]): string {
  const rows = [
    ['code', 'company', 'name', 'phone', 'language', 'market', 'answered'],
    ...surveys
      .filter((survey) => survey.channel === 'phone')
      .map((survey) => [
        survey.code ?? '',
        survey.company ?? '',
        survey.name ?? '',
        survey.phone ?? '',
        survey.language,
        survey.market,
        survey.answeredAt ? 'yes' : '',
      ]),
  ];
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
