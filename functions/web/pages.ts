/**
 * The customer-facing pages: the bilingual complaint form (works without JavaScript), the
 * thank-you page, the status page and plain error pages. Every value is escaped by `html`.
 */

import type { FieldErrors } from '#functions/contract/fields.ts';
import { acceptedFiles, maxAttachments } from '#functions/domain/attachments.ts';
import { honeypotField, issuedAtField } from '#functions/domain/bot-check.ts';
import {
  categories,
  claimTypes,
  type Language,
  markets,
  maxDescriptionLength,
  type PublicStatus,
} from '#functions/domain/complaint.ts';
import {
  type Bilingual,
  categoryLabels,
  claimTypeLabels,
  marketLabels,
  statusLabels,
} from '#functions/domain/labels.ts';
import type { NextStep, PublicTimeline } from '#functions/domain/public-timeline.ts';
import { countryNames, provinces, regionCode } from '#functions/domain/regions.ts';
import { html, SafeHtml } from '#functions/shared/html.ts';
import { htmlResponse } from '#functions/shared/http.ts';
import { relativeUrl } from '#functions/shared/links.ts';
import { site } from '#functions/shared/site.ts';
import { formatLocalDate, formatLocalTime } from './local-time.ts';

/** The one stylesheet of every customer page: system fonts only, so text shows at once. */
const styles = `
.hp{display:none}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0;color:#1d2330;background:#f6f7f9;line-height:1.55;font-size:1rem}
header.site{background:#1b3a5c;color:#fff;padding:.6rem 1rem}header.site p{max-width:46rem;margin:0 auto;font-weight:600}
main{display:block;max-width:46rem;margin:0 auto;padding:1rem 1rem 3rem;background:#fff;min-height:60vh}
h1{font-size:1.5rem;line-height:1.3;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
a{color:#1b5fae}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #f0a000;outline-offset:2px}
nav.top{text-align:right;margin-bottom:.25rem}
fieldset{border:1px solid #c8ccd4;border-radius:6px;margin:0 0 1rem;padding:.75rem 1rem;min-width:0}
legend{font-weight:600;padding:0 .25rem}label{display:block;margin:.75rem 0 .2rem;font-weight:500}
.required{font-weight:400;color:#5b6270;font-size:.9rem}.hint{color:#4b5260;font-size:.9rem;margin-top:.2rem}
input,select,textarea{width:100%;padding:.5rem;font:inherit;color:inherit;background:#fff;border:1px solid #767d8a;border-radius:4px}
input[aria-invalid=true],select[aria-invalid=true],textarea[aria-invalid=true]{border:2px solid #b00020}
textarea{min-height:9rem}
/* A choice sits beside its words; a survey's scale puts its choices on one line. */
label:has(>input[type=radio]){display:flex;align-items:center;gap:.5rem;font-weight:normal}input[type=radio]{width:auto;margin:0}
fieldset.scale label{display:inline-flex;align-items:center;margin:.2rem .9rem .2rem 0;font-weight:normal}fieldset.scale input{width:auto;margin-right:.35rem}
.error{color:#b00020;font-size:.95rem;margin-top:.2rem;font-weight:500}
.summary{border:2px solid #b00020;padding:.5rem 1rem;border-radius:6px;margin:0 0 1rem}.summary h2{margin:.25rem 0}.summary ul{margin:.25rem 0;padding-left:1.25rem}
.notice{border:2px solid #1b5fae;padding:.5rem 1rem;border-radius:6px;margin:0 0 1rem}
a.button{display:inline-block;text-decoration:none}
button,a.button{font:inherit;font-weight:600;padding:.65rem 1.6rem;background:#1b5fae;color:#fff;border:0;border-radius:4px;cursor:pointer}
.privacy{font-size:.92rem;color:#3b4250;border-top:1px solid #c8ccd4;margin-top:1rem}
.reference{font-size:1.5rem;font-weight:700;letter-spacing:.04em;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
ol.timeline{list-style:none;padding:0;border-left:3px solid #1b5fae;margin-left:.4rem}ol.timeline li{padding:0 0 .75rem 1rem}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #c8ccd4;padding:.3rem .5rem;text-align:left}
@media (max-width:30rem){main{padding:.75rem .75rem 2rem}dl{grid-template-columns:1fr}dd{margin-bottom:.4rem}}
@media print{body{background:#fff}header.site{background:none;color:#000}main{max-width:none;padding:0}}
`;
// Our own constant, not input: it passes unescaped.
const trustedStyles = new SafeHtml(styles);

/** `beforeMain`: what stands between the site header and `<main>`, e.g. the console's bar. */
export function layout(
  title: string,
  body: SafeHtml,
  lang = 'zh-CN',
  beforeMain: SafeHtml | '' = '',
): SafeHtml {
  const company = site().company[lang.startsWith('zh') ? 'zh' : 'en'];
  return html`<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · ${company}</title><style>${trustedStyles}</style></head>
<body><header class="site"><p>${company}</p></header>
${beforeMain}<main>${body}</main></body>
</html>`;
}

/** The `lang` of a page in the language. */
export const htmlLang: Record<Language, string> = { zh: 'zh-CN', en: 'en' };

const both = (label: Bilingual) => `${label.zh} ${label.en}`;

export type FormValues = Record<string, string>;

/**
 * Contract messages read `English / 中文` (functions/contract/fields.ts `message`): the half
 * in the page's language.
 */
export function localizedMessage(message: string, language: Language): string {
  const split = message.indexOf(' / ');
  if (split < 0) return message;
  return language === 'en' ? message.slice(0, split) : message.slice(split + 3);
}

const fieldId = (name: string) => name.replace('.', '-');

interface FieldOptions {
  name: string;
  label: Bilingual;
  language: Language;
  values: FormValues;
  errors: FieldErrors;
  required?: boolean;
  type?: string;
  maxLength?: number;
  list?: string;
  hint?: Bilingual;
  autocomplete?: string;
}

function labelFor(options: FieldOptions): SafeHtml {
  const lang = options.language;
  return html`<label for="${fieldId(options.name)}">${options.label[lang]}${options.required ? html` <span class="required">${formWords.required[lang]}</span>` : ''}</label>`;
}

/** The hint and the error under a field, and the `aria-describedby` that ties them to it. */
function described(options: FieldOptions) {
  const id = fieldId(options.name);
  const error = options.errors[options.name];
  const ids = [options.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return {
    attributes: html`${ids.length > 0 ? html` aria-describedby="${ids.join(' ')}"` : ''}${error ? html` aria-invalid="true"` : ''}`,
    below: html`${options.hint ? html`<div class="hint" id="${id}-hint">${options.hint[options.language]}</div>` : ''}${error ? html`<div class="error" id="${id}-error">${localizedMessage(error, options.language)}</div>` : ''}`,
  };
}

function input(options: FieldOptions): SafeHtml {
  const { attributes, below } = described(options);
  return html`${labelFor(options)}
<input id="${fieldId(options.name)}" name="${options.name}" type="${options.type ?? 'text'}" value="${options.values[options.name] ?? ''}"${options.required ? html` required` : ''}${options.maxLength ? html` maxlength="${options.maxLength}"` : ''}${options.list ? html` list="${options.list}"` : ''}${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''}${attributes}>
${below}`;
}

function textarea(options: FieldOptions): SafeHtml {
  const { attributes, below } = described(options);
  return html`${labelFor(options)}
<textarea id="${fieldId(options.name)}" name="${options.name}"${options.required ? html` required` : ''}${options.maxLength ? html` maxlength="${options.maxLength}"` : ''}${attributes}>${options.values[options.name] ?? ''}</textarea>
${below}`;
}

function select(
  options: FieldOptions & {
    choices: readonly string[];
    labels: Record<string, Bilingual>;
    blank?: boolean;
    fallback?: string;
  },
): SafeHtml {
  const { attributes, below } = described(options);
  const current = options.values[options.name] ?? options.fallback ?? '';
  return html`${labelFor(options)}
<select id="${fieldId(options.name)}" name="${options.name}"${options.required ? html` required` : ''}${attributes}>
${options.blank ? html`<option value="">${formWords.choose[options.language]}</option>` : ''}${options.choices.map(
  (choice) =>
    html`<option value="${choice}"${choice === current ? html` selected` : ''}>${(options.labels[choice] ?? { zh: choice, en: choice })[options.language]}</option>`,
)}
</select>
${below}`;
}

const formWords = {
  title: { zh: '用户意见反馈', en: 'Customer complaints and feedback' },
  intro: {
    zh: '请填写以下信息，我们将在收到后立即回复确认邮件并告知处理编号。',
    en: 'Tell us what happened. You will get an acknowledgement email with a reference number straight away.',
  },
  required: { zh: '（必填）', en: '(required)' },
  choose: { zh: '请选择', en: 'Choose…' },
  errorsTitle: { zh: '请修正以下问题：', en: 'Please correct the following:' },
  details: { zh: '联系人', en: 'Your details' },
  complaint: { zh: '意见内容', en: 'Your complaint or suggestion' },
  trace: { zh: '产品追溯（选填）', en: 'Product trace (optional)' },
  remedy: { zh: '三包要求（选填）', en: 'Remedy requested (optional)' },
  submit: { zh: '提交', en: 'Submit' },
  regionHint: {
    zh: '国内客户填省份（如 广东），出口客户填国家（如 德国、Germany 或 DE）。',
    en: 'Domestic customers: province (e.g. Guangdong). Export customers: country name or ISO code (e.g. Germany or DE).',
  },
  status: { zh: '查询已提交意见的进度', en: 'Check a complaint you filed' },
  switchTo: { zh: 'English', en: '中文' },
  privacy: { zh: '个人信息保护说明', en: 'Privacy notice' },
  privacyPage: {
    zh: '在单独页面打开个人信息保护说明',
    en: 'Open the privacy notice on a page of its own',
  },
  photosLater: {
    zh: '提交后可在确认页面补充照片或文件（最多 5 个）。',
    en: 'You can add photos or documents (up to 5) on the page you see after sending this form.',
  },
} as const;

export const fieldLabels: Record<string, Bilingual> = {
  'customer.name': { zh: '姓名', en: 'Name' },
  'customer.company': { zh: '单位', en: 'Company' },
  'customer.email': { zh: '电子邮箱', en: 'Email' },
  'customer.phone': { zh: '电话', en: 'Phone' },
  'customer.market': { zh: '客户类型', en: 'Market' },
  'customer.region': { zh: '省份或国家', en: 'Province or country' },
  category: { zh: '类别', en: 'Category' },
  subject: { zh: '主题', en: 'Subject' },
  description: { zh: '详细描述', en: 'Description' },
  'order.contractNo': { zh: '合同号', en: 'Contract no.' },
  'order.orderNo': { zh: '订单号', en: 'Order no.' },
  'order.deliveryNoteNo': { zh: '送货单号', en: 'Delivery note no.' },
  'order.batchNo': { zh: '批号', en: 'Batch / lot no.' },
  'order.productModel': { zh: '产品型号', en: 'Product model' },
  'claim.type': { zh: '要求', en: 'Request' },
  'claim.amount': { zh: '金额', en: 'Amount' },
  'claim.currency': { zh: '币种', en: 'Currency' },
};

export interface ComplaintFormInput {
  language: Language;
  /** Where the form posts, relative to the page. */
  action: string;
  /** The same form in the other language, relative to the page. */
  switchLink: string;
  statusLink: string;
  privacyLink: string;
  /** The short privacy notice from the stage configuration. */
  privacyNotice: string;
  idempotencyKey: string;
  /** When the page was served (ms), for the minimum fill time; kept when the form returns. */
  issuedAt: number;
  values?: FormValues;
  errors?: FieldErrors;
  /** A message above the form that is not about one field. */
  notice?: Bilingual;
}

export function complaintFormPage(form: ComplaintFormInput): SafeHtml {
  const lang = form.language;
  const other: Language = lang === 'zh' ? 'en' : 'zh';
  const values = form.values ?? {};
  const errors = form.errors ?? {};
  const common = { language: lang, values, errors };
  const field = (name: string, extra: Partial<FieldOptions> = {}) =>
    input({ name, label: fieldLabels[name] ?? { zh: name, en: name }, ...common, ...extra });
  const errorNames = Object.keys(errors);
  return layout(
    formWords.title[lang],
    html`<nav class="top" aria-label="${lang === 'zh' ? '语言' : 'Language'}"><a href="${form.switchLink}" lang="${htmlLang[other]}" hreflang="${other}">${formWords.switchTo[lang]}</a></nav>
<h1>${formWords.title[lang]}</h1>
<p>${formWords.intro[lang]}</p>
${
  errorNames.length > 0
    ? html`<div class="summary" role="alert"><h2>${formWords.errorsTitle[lang]}</h2><ul>${errorNames.map(
        (name) =>
          html`<li><a href="#${fieldId(name)}">${(fieldLabels[name] ?? { zh: name, en: name })[lang]}: ${localizedMessage(errors[name] ?? '', lang)}</a></li>`,
      )}</ul></div>`
    : ''
}
${form.notice ? html`<div class="notice" role="alert"><p>${form.notice[lang]}</p></div>` : ''}
<form method="post" action="${form.action}" accept-charset="utf-8">
<input type="hidden" name="idempotencyKey" value="${form.idempotencyKey}">
<input type="hidden" name="language" value="${lang}">
<input type="hidden" name="${issuedAtField}" value="${values[issuedAtField] ?? String(form.issuedAt)}">
<div class="hp"><label for="${honeypotField}">Website</label><input id="${honeypotField}" name="${honeypotField}" tabindex="-1" autocomplete="off"></div>
<fieldset><legend>${formWords.details[lang]}</legend>
${field('customer.name', { required: true, maxLength: 100, autocomplete: 'name' })}
${field('customer.company', { maxLength: 200, autocomplete: 'organization' })}
${field('customer.email', { required: true, type: 'email', maxLength: 254, autocomplete: 'email' })}
${field('customer.phone', { type: 'tel', maxLength: 40, autocomplete: 'tel' })}
${select({ name: 'customer.market', label: fieldLabels['customer.market'] ?? marketLabels.domestic, ...common, required: true, choices: markets, labels: marketLabels, fallback: lang === 'zh' ? 'domestic' : 'export' })}
${field('customer.region', { required: true, maxLength: 64, list: 'regions', hint: formWords.regionHint, autocomplete: 'off' })}
<datalist id="regions">${provinces.map((p) => html`<option value="${p[lang]}"></option>`)}${countryNames(lang).map((name) => html`<option value="${name}"></option>`)}</datalist>
</fieldset>
<fieldset><legend>${formWords.complaint[lang]}</legend>
${select({ name: 'category', label: fieldLabels.category ?? categoryLabels.other, ...common, required: true, choices: categories, labels: categoryLabels, blank: true })}
${field('subject', { required: true, maxLength: 200 })}
${textarea({ name: 'description', label: fieldLabels.description ?? categoryLabels.other, ...common, required: true, maxLength: maxDescriptionLength })}
<p class="hint">${formWords.photosLater[lang]}</p>
</fieldset>
<fieldset><legend>${formWords.trace[lang]}</legend>
${field('order.contractNo', { maxLength: 64 })}
${field('order.orderNo', { maxLength: 64 })}
${field('order.deliveryNoteNo', { maxLength: 64 })}
${field('order.batchNo', { maxLength: 64 })}
${field('order.productModel', { maxLength: 100 })}
</fieldset>
<fieldset><legend>${formWords.remedy[lang]}</legend>
${select({ name: 'claim.type', label: fieldLabels['claim.type'] ?? claimTypeLabels.none, ...common, choices: claimTypes, labels: claimTypeLabels, blank: true })}
${field('claim.amount', { maxLength: 16, hint: { zh: '如 1200.50', en: 'e.g. 1200.50' } })}
${field('claim.currency', { maxLength: 3, hint: { zh: 'CNY、USD、EUR…', en: 'CNY, USD, EUR…' } })}
</fieldset>
<section class="privacy" aria-labelledby="privacy-title"><h2 id="privacy-title">${formWords.privacy[lang]}</h2>
${paragraphs(form.privacyNotice)}
<p><a href="${form.privacyLink}">${formWords.privacyPage[lang]}</a></p></section>
<p><button type="submit">${formWords.submit[lang]}</button></p>
</form>
<p><a href="${form.statusLink}">${formWords.status[lang]}</a></p>`,
    htmlLang[lang],
  );
}

/** Operator text with blank lines between paragraphs, as paragraphs. */
export function paragraphs(text: string): SafeHtml {
  return html`${text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => html`<p>${paragraph}</p>`)}`;
}

const statusWords = {
  thanksTitle: { zh: '感谢您的反馈', en: 'Thank you' },
  received: {
    zh: '我们已收到您的意见，处理编号为：',
    en: 'We have received your complaint. Your reference is:',
  },
  acknowledgement: {
    zh: '确认邮件已发送至您的邮箱。相关部门将尽快与您联系。',
    en: 'An acknowledgement is on its way to your email. The department responsible will be in touch.',
  },
  lookupTitle: { zh: '查询处理进度', en: 'Check the status of a complaint' },
  lookupIntro: {
    zh: '请输入处理编号和提交时使用的邮箱。',
    en: 'Enter the reference and the email address you used when you filed it.',
  },
  reference: { zh: '处理编号', en: 'Reference' },
  referenceHint: {
    zh: '如 FB-2026-000123，见确认邮件',
    en: 'e.g. FB-2026-000123, from the acknowledgement email',
  },
  email: { zh: '电子邮箱', en: 'Email' },
  check: { zh: '查询', en: 'Check status' },
  notFoundTitle: { zh: '未找到', en: 'Not found' },
  notFound: {
    zh: '没有与该编号和邮箱相符的记录，请核对后重试。',
    en: 'No complaint matches this reference and email address. Please check both and try again.',
  },
  unconfirmedTitle: { zh: '无法确认', en: 'We cannot confirm this here' },
  unconfirmed: {
    zh: '本页无法确认该编号。如您已提交意见，确认邮件中有处理编号和查询链接；也可在下方查询。',
    en: 'This page cannot confirm that reference. If you filed a complaint, the acknowledgement email has its reference and a status link; or check it below.',
  },
  newComplaint: { zh: '提交新的意见', en: 'File a new complaint' },
  status: { zh: '当前状态', en: 'Status' },
  category: { zh: '类别', en: 'Category' },
  subject: { zh: '主题', en: 'Subject' },
  history: { zh: '处理经过', en: 'What has happened' },
  next: { zh: '下一步', en: 'What happens next' },
  timeZoneNote: { zh: '时间均为', en: 'Times are in' },
} as const;

function nextStepText(next: NextStep, language: Language, timeZone: string): string {
  const date = (iso: string) => formatLocalDate(iso, language, timeZone);
  switch (next.kind) {
    case 'routing':
      return language === 'zh'
        ? '我们正在将您的意见转交相关部门，通常在几分钟内完成。'
        : 'We are passing your complaint to the department concerned; this usually takes minutes.';
    case 'first_response':
      return language === 'zh'
        ? `负责部门将于 ${date(next.dueAt)} 前与您联系。`
        : `The department responsible will contact you by ${date(next.dueAt)}.`;
    case 'resolution':
      return language === 'zh'
        ? `我们力争在 ${date(next.dueAt)} 前处理完毕。`
        : `We aim to resolve it by ${date(next.dueAt)}.`;
    case 'confirmation':
      return language === 'zh'
        ? '我们已处理您的意见，请告知您是否满意；如有疑问请回复确认邮件。'
        : 'We have resolved it. Please tell us whether you are satisfied, by replying to our email.';
    case 'none':
      return language === 'zh'
        ? '本案已结案，感谢您的反馈。'
        : 'This complaint is closed. Thank you.';
  }
}

export interface LookupFormInput {
  language: Language;
  /** Where the lookup form is sent, relative to the page. */
  action: string;
  reference?: string;
  email?: string;
}

function lookupForm(form: LookupFormInput, idPrefix = 'lookup'): SafeHtml {
  const lang = form.language;
  return html`<form method="get" action="${form.action}" accept-charset="utf-8">
<input type="hidden" name="lang" value="${lang}">
<label for="${idPrefix}-reference">${statusWords.reference[lang]}</label>
<input id="${idPrefix}-reference" name="reference" value="${form.reference ?? ''}" required maxlength="20" autocomplete="off" aria-describedby="${idPrefix}-reference-hint">
<div class="hint" id="${idPrefix}-reference-hint">${statusWords.referenceHint[lang]}</div>
<label for="${idPrefix}-email">${statusWords.email[lang]}</label>
<input id="${idPrefix}-email" name="email" type="email" value="${form.email ?? ''}" required maxlength="254" autocomplete="email">
<p><button type="submit">${statusWords.check[lang]}</button></p>
</form>`;
}

export interface ThanksPageInput {
  reference: string;
  language: Language;
  /** The status lookup, relative to the page. */
  statusAction: string;
  /** The page to add photos and documents, relative to the page. */
  attachmentsLink: string;
}

/** Only for a submitter who brought the complaint's receipt: it confirms what was received. */
export function thanksPage(input: ThanksPageInput): SafeHtml {
  const lang = input.language;
  return layout(
    `${input.reference} · ${statusWords.thanksTitle[lang]}`,
    html`<h1>${statusWords.thanksTitle[lang]}</h1>
<p>${statusWords.received[lang]}</p>
<p class="reference">${input.reference}</p>
<p>${statusWords.acknowledgement[lang]}</p>
<h2>${attachmentWords.title[lang]}</h2>
<p>${attachmentWords.offer[lang]}</p>
<p><a class="button" href="${input.attachmentsLink}">${attachmentWords.add[lang]}</a></p>
<h2>${statusWords.lookupTitle[lang]}</h2>
${lookupForm({ language: lang, action: input.statusAction, reference: input.reference }, 'thanks')}`,
    htmlLang[lang],
  );
}

/** For a reference without its receipt: says nothing about whether the reference exists. */
export function unconfirmedThanksPage(language: Language, statusAction: string, formLink: string) {
  return layout(
    statusWords.unconfirmedTitle[language],
    html`<h1>${statusWords.unconfirmedTitle[language]}</h1>
<p>${statusWords.unconfirmed[language]}</p>
${lookupForm({ language, action: statusAction })}
<p><a href="${formLink}">${statusWords.newComplaint[language]}</a></p>`,
    htmlLang[language],
  );
}

export interface LookupPageInput extends LookupFormInput {
  notFound?: boolean;
  /** The complaint form, relative to the page. */
  formLink: string;
}

/** The standalone lookup, and the "not found" answer with the form filled in to try again. */
export function statusLookupPage(input: LookupPageInput): SafeHtml {
  const lang = input.language;
  const title = input.notFound ? statusWords.notFoundTitle[lang] : statusWords.lookupTitle[lang];
  return layout(
    title,
    html`<h1>${title}</h1>
${input.notFound ? html`<div class="summary" role="alert"><p>${statusWords.notFound[lang]}</p></div>` : html`<p>${statusWords.lookupIntro[lang]}</p>`}
${lookupForm(input)}
<p><a href="${input.formLink}">${statusWords.newComplaint[lang]}</a></p>`,
    htmlLang[lang],
  );
}

export interface StatusPageInput {
  status: PublicStatus;
  timeline: PublicTimeline;
  language: Language;
  timeZone: string;
  formLink: string;
  /** The files the customer sent. */
  files: readonly { name: string; size: number }[];
  /** Where to add more; absent when no more are taken. */
  attachmentsLink?: string;
}

export function statusPage(input: StatusPageInput): SafeHtml {
  const { status, timeline, language: lang, timeZone } = input;
  const when = (iso: string) => formatLocalTime(iso, lang, timeZone);
  const category = categoryLabels[status.category];
  return layout(
    `${status.reference} · ${statusLabels[status.status][lang]}`,
    html`<h1>${statusWords.reference[lang]}${lang === 'zh' ? '：' : ': '}<span class="reference">${status.reference}</span></h1>
<dl>
<dt>${statusWords.status[lang]}</dt><dd>${statusLabels[status.status][lang]}</dd>
<dt>${statusWords.category[lang]}</dt><dd>${category[lang]}</dd>
<dt>${statusWords.subject[lang]}</dt><dd>${status.subject}</dd>
</dl>
<h2>${statusWords.history[lang]}</h2>
<ol class="timeline">${timeline.steps.map(
      (step) =>
        html`<li><time datetime="${step.at}">${when(step.at)}</time><br>${statusLabels[step.status][lang]}</li>`,
    )}</ol>
<h2>${statusWords.next[lang]}</h2>
<p>${nextStepText(timeline.next, lang, timeZone)}</p>
<h2>${attachmentWords.received[lang]}</h2>
${input.files.length > 0 ? html`<ul>${input.files.map((file) => html`<li>${file.name} (${fileSize(file.size)})</li>`)}</ul>` : html`<p>${attachmentWords.none[lang]}</p>`}
${input.attachmentsLink ? html`<p><a href="${input.attachmentsLink}">${attachmentWords.add[lang]}</a></p>` : ''}
<p><a href="${input.formLink}">${statusWords.newComplaint[lang]}</a></p>`,
    htmlLang[lang],
  );
}

/** A bilingual message page as the whole answer: not found, too long, still processing. */
export function messageResponse(status: number, title: Bilingual, text: Bilingual) {
  return htmlResponse(status, messagePage(title, text));
}

/**
 * Who reads a message page: one language; or both, the `first` on top and the other in a
 * section of its own below, with `after` (a form, say) after the first language's message.
 */
export type MessageReader =
  | Language
  | { first: Language; after?: (language: Language) => SafeHtml };

/**
 * The one plain message page (thank you, not found, too long, a link refused), a title and a
 * message: in the reader's language; or, where it is not known, in both, Chinese first and
 * the English marked as such; or in both, the reader's first.
 */
export function messagePage(title: Bilingual, text: Bilingual, reader?: MessageReader): SafeHtml {
  if (reader === undefined) {
    return layout(
      both(title),
      html`<h1>${title.zh} · <span lang="en">${title.en}</span></h1><p>${text.zh}</p><p lang="en">${text.en}</p>`,
    );
  }
  if (typeof reader === 'string') {
    return layout(
      title[reader],
      html`<h1>${title[reader]}</h1><p>${text[reader]}</p>`,
      htmlLang[reader],
    );
  }
  const first = reader.first;
  const second: Language = first === 'zh' ? 'en' : 'zh';
  return layout(
    `${title[first]} / ${title[second]}`,
    html`<h1>${title[first]}</h1>
<p>${text[first]}</p>
${reader.after?.(first) ?? ''}
<div lang="${htmlLang[second]}"><h2>${title[second]}</h2>
<p>${text[second]}</p></div>`,
    htmlLang[first],
  );
}

/** The submitted form, back into dotted field names, to fill the form in again after an error. */
export function formValues(data: unknown, prefix = ''): FormValues {
  const values: FormValues = {};
  if (data === null || typeof data !== 'object') return values;
  for (const [name, value] of Object.entries(data)) {
    if (typeof value === 'string') values[`${prefix}${name}`] = value;
    else Object.assign(values, formValues(value, `${prefix}${name}.`));
  }
  return values;
}

/** The page language a link asks for (`?lang=en`); Chinese unless English is asked for. */
export function pageLanguage(requested: string | undefined): Language {
  return requested === 'en' ? 'en' : 'zh';
}

/** The complaint form as the route at `resource` serves it, in `language`, with its links. */
export function complaintFormFor(
  resource: string,
  language: Language,
  form: Pick<ComplaintFormInput, 'idempotencyKey' | 'issuedAt' | 'values' | 'errors' | 'notice'>,
): SafeHtml {
  return complaintFormPage({
    ...form,
    language,
    action: relativeUrl(resource, '/complaints'),
    switchLink: relativeUrl(resource, '/', { lang: language === 'zh' ? 'en' : 'zh' }),
    statusLink: relativeUrl(resource, '/status', { lang: language }),
    privacyLink: relativeUrl(resource, '/privacy', { lang: language }),
    privacyNotice: site().privacyNotice[language],
  });
}

export function privacyPage(language: Language, formLink: string): SafeHtml {
  return layout(
    formWords.privacy[language],
    html`<h1>${formWords.privacy[language]}</h1>
${paragraphs(site().privacyNotice[language])}
<p><a href="${formLink}">${formWords.title[language]}</a></p>`,
    htmlLang[language],
  );
}

/**
 * The form's errors, completed: the contract checks the region only once the rest of the
 * customer is valid (it needs the market), so a form would show its error a round later;
 * and the words say that names are welcome too.
 */
export function formErrors(values: FormValues, given: FieldErrors): FieldErrors {
  const errors = { ...given };
  // A choice the form offers cannot be wrong, only missing (or forged): say so in words.
  for (const name of ['customer.market', 'category', 'claim.type']) {
    if (errors[name] === undefined) continue;
    errors[name] =
      name === 'claim.type' && !values[name]
        ? 'Choose what you ask for, to go with the amount / 填写金额时请选择要求'
        : 'Choose one of the options / 请从列表中选择';
  }
  const market = values['customer.market'];
  const region = values['customer.region']?.trim();
  const blank = errors['customer.region'] !== undefined && !region;
  if (blank || !region || (market !== 'domestic' && market !== 'export')) return errors;
  if (regionCode(market, region) !== undefined) return errors;
  const message =
    market === 'domestic'
      ? 'Not a Chinese province (e.g. Guangdong or CN-GD) / 不是有效的省份（如 广东 或 CN-GD）'
      : 'Not a country name or ISO code (e.g. Germany or DE) / 不是有效的国家（如 德国 或 DE）';
  return { ...errors, 'customer.region': message };
}

const attachmentWords = {
  title: { zh: '照片和文件', en: 'Photos and documents' },
  offer: {
    zh: `如有缺陷照片、送货单或质检报告，可在此补充，最多 ${maxAttachments} 个文件，每个不超过 10 MB（JPEG、PNG、HEIC 或 PDF）。`,
    en: `Photos of the defect, delivery notes or test reports help us decide: add up to ${maxAttachments} files of at most 10 MB each (JPEG, PNG, HEIC or PDF).`,
  },
  add: { zh: '添加照片或文件', en: 'Add photos or documents' },
  received: { zh: '已收到的文件', en: 'Files received' },
  none: { zh: '尚未收到文件。', en: 'No files yet.' },
  file: { zh: '选择文件', en: 'Choose a file' },
  fileHint: {
    zh: 'JPEG、PNG、HEIC 或 PDF，不超过 10 MB。每次一个文件。',
    en: 'JPEG, PNG, HEIC or PDF, at most 10 MB. One file at a time.',
  },
  send: { zh: '上传', en: 'Upload' },
  full: {
    zh: `已收到 ${maxAttachments} 个文件，不能再添加。如需补充，请回复确认邮件。`,
    en: `We have ${maxAttachments} files, the most we take here. To send more, reply to the acknowledgement email.`,
  },
  done: { zh: '完成，查看处理进度', en: 'Done: see the status' },
  results: {
    recorded: { zh: '文件已收到，谢谢。', en: 'Thank you, we have the file.' },
    already_recorded: { zh: '该文件已收到。', en: 'We already have that file.' },
    empty: { zh: '文件是空的，请重新选择。', en: 'The file was empty. Please choose another.' },
    too_large: {
      zh: '文件超过 10 MB，请缩小后重试。',
      en: 'The file is over 10 MB. Please make it smaller and try again.',
    },
    wrong_type: {
      zh: '只接受 JPEG、PNG、HEIC 或 PDF 文件，且文件内容须与扩展名相符。',
      en: 'We take JPEG, PNG, HEIC or PDF files only, and the content must match the file name.',
    },
    limit: { zh: '已达到文件数量上限。', en: 'You have reached the number of files we take.' },
    missing: {
      zh: '没有收到文件，请重试。',
      en: 'The file did not arrive. Please try again.',
    },
  },
} as const;

export type UploadResult = keyof typeof attachmentWords.results;

export function isUploadResult(value: string | undefined): value is UploadResult {
  return value !== undefined && Object.hasOwn(attachmentWords.results, value);
}

export interface AttachmentsPageInput {
  reference: string;
  language: Language;
  files: readonly { name: string; size: number }[];
  /** The presigned POST; absent when no more files are taken. */
  upload?: { url: string; fields: Record<string, string> };
  result?: UploadResult;
  statusLink: string;
}

const fileSize = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;

/** The upload form posts straight to S3 (no JavaScript), which sends the browser back to us. */
export function attachmentsPage(input: AttachmentsPageInput): SafeHtml {
  const lang = input.language;
  const result = input.result;
  const good = result === 'recorded' || result === 'already_recorded';
  return layout(
    `${input.reference} · ${attachmentWords.title[lang]}`,
    html`<h1>${attachmentWords.title[lang]}${lang === 'zh' ? '：' : ': '}<span class="reference">${input.reference}</span></h1>
${result ? html`<div class="${good ? 'notice' : 'summary'}" role="${good ? 'status' : 'alert'}"><p>${attachmentWords.results[result][lang]}</p></div>` : ''}
<h2>${attachmentWords.received[lang]}</h2>
${input.files.length > 0 ? html`<ul>${input.files.map((file) => html`<li>${file.name} (${fileSize(file.size)})</li>`)}</ul>` : html`<p>${attachmentWords.none[lang]}</p>`}
${
  input.upload
    ? html`<p>${attachmentWords.offer[lang]}</p>
<form method="post" action="${input.upload.url}" enctype="multipart/form-data">
${Object.entries(input.upload.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<label for="file">${attachmentWords.file[lang]}</label>
<input id="file" name="file" type="file" required accept="${acceptedFiles}" aria-describedby="file-hint">
<div class="hint" id="file-hint">${attachmentWords.fileHint[lang]}</div>
<p><button type="submit">${attachmentWords.send[lang]}</button></p>
</form>`
    : html`<p>${attachmentWords.full[lang]}</p>`
}
<p><a href="${input.statusLink}">${attachmentWords.done[lang]}</a></p>`,
    htmlLang[lang],
  );
}
