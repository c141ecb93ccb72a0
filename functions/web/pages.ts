/**
 * The customer-facing pages: the bilingual complaint form (works without JavaScript), the
 * thank-you page, the status page and plain error pages. Every value is escaped by `html`.
 */

import { maxDescriptionLength } from '../contract/complaint-submission.ts';
import type { FieldErrors } from '../contract/fields.ts';
import {
  type Category,
  categories,
  claimTypes,
  languages,
  markets,
  type PublicStatus,
} from '../domain/complaint.ts';
import {
  type Bilingual,
  categoryLabels,
  claimTypeLabels,
  marketLabels,
  statusLabels,
} from '../domain/labels.ts';
import { provinces } from '../domain/regions.ts';
import { html, SafeHtml } from '../shared/html.ts';
import { htmlResponse } from '../shared/http.ts';

const styles = `
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d2330;line-height:1.5}
h1{font-size:1.5rem}fieldset{border:1px solid #c8ccd4;border-radius:6px;margin:0 0 1rem;padding:.75rem 1rem}
legend{font-weight:600}label{display:block;margin:.5rem 0 .15rem}.hint{color:#5b6270;font-size:.85rem}
input,select,textarea{width:100%;box-sizing:border-box;padding:.4rem;font:inherit;border:1px solid #9aa1ad;border-radius:4px}
textarea{min-height:9rem}fieldset.scale label{display:inline-block;margin:.2rem .9rem .2rem 0;font-weight:normal}fieldset.scale input{width:auto;margin-right:.3rem}.error{color:#b00020;font-size:.9rem}.summary{border:2px solid #b00020;padding:.5rem 1rem;border-radius:6px}
button{font:inherit;padding:.6rem 1.4rem;background:#1b5fae;color:#fff;border:0;border-radius:4px;cursor:pointer}
.reference{font-size:1.6rem;font-weight:700;letter-spacing:.05em}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}
`;
// Our own constant, not input: it passes unescaped.
const trustedStyles = new SafeHtml(styles);

export function layout(title: string, body: SafeHtml, lang = 'zh-CN'): SafeHtml {
  return html`<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>${trustedStyles}</style></head>
<body>${body}</body>
</html>`;
}

const both = (label: Bilingual) => `${label.zh} ${label.en}`;

export type FormValues = Record<string, string>;

interface FieldOptions {
  name: string;
  label: Bilingual;
  values: FormValues;
  errors: FieldErrors;
  required?: boolean;
  type?: string;
  maxLength?: number;
  list?: string;
  hint?: string;
}

function input(options: FieldOptions): SafeHtml {
  const id = options.name.replace('.', '-');
  const error = options.errors[options.name];
  return html`<label for="${id}">${both(options.label)}${options.required ? ' *' : ''}</label>
<input id="${id}" name="${options.name}" type="${options.type ?? 'text'}" value="${options.values[options.name] ?? ''}"${options.required ? html` required` : ''}${options.maxLength ? html` maxlength="${options.maxLength}"` : ''}${options.list ? html` list="${options.list}"` : ''}${error ? html` aria-invalid="true"` : ''}>
${options.hint ? html`<div class="hint">${options.hint}</div>` : ''}${error ? html`<div class="error">${error}</div>` : ''}`;
}

function select(
  options: FieldOptions & {
    choices: readonly string[];
    labels: Record<string, Bilingual>;
    blank?: boolean;
  },
): SafeHtml {
  const id = options.name.replace('.', '-');
  const error = options.errors[options.name];
  const current = options.values[options.name] ?? '';
  return html`<label for="${id}">${both(options.label)}${options.required ? ' *' : ''}</label>
<select id="${id}" name="${options.name}"${options.required ? html` required` : ''}>
${options.blank ? html`<option value="">—</option>` : ''}${options.choices.map(
  (choice) =>
    html`<option value="${choice}"${choice === current ? html` selected` : ''}>${both(options.labels[choice] ?? { zh: choice, en: choice })}</option>`,
)}
</select>${error ? html`<div class="error">${error}</div>` : ''}`;
}

const languageLabels: Record<string, Bilingual> = {
  zh: { zh: '中文', en: 'Chinese' },
  en: { zh: '英文', en: 'English' },
};

export interface ComplaintFormInput {
  action: string;
  idempotencyKey: string;
  values?: FormValues;
  errors?: FieldErrors;
  /** A message above the form that is not about one field. */
  notice?: Bilingual;
}

export function complaintFormPage(form: ComplaintFormInput): SafeHtml {
  const values = form.values ?? {};
  const errors = form.errors ?? {};
  const field = (name: string, label: Bilingual, extra: Partial<FieldOptions> = {}) =>
    input({ name, label, values, errors, ...extra });
  const errorList = Object.values(errors);
  return layout(
    '用户意见反馈 Customer feedback',
    html`<h1>用户意见反馈 · Customer complaint and feedback</h1>
<p>请填写以下信息，我们将在收到后立即回复确认邮件并告知处理编号。<br>
Tell us what happened. You will get an acknowledgement email with a reference number straight away.</p>
${errorList.length > 0 ? html`<div class="summary" role="alert"><strong>请修正以下错误 Please correct the fields marked below</strong></div>` : ''}
${form.notice ? html`<div class="summary" role="alert"><strong>${form.notice.zh}<br>${form.notice.en}</strong></div>` : ''}
<form method="post" action="${form.action}" accept-charset="utf-8">
<input type="hidden" name="idempotencyKey" value="${form.idempotencyKey}">
<fieldset><legend>联系人 Your details</legend>
${field('customer.name', { zh: '姓名', en: 'Name' }, { required: true, maxLength: 100 })}
${field('customer.company', { zh: '单位', en: 'Company' }, { maxLength: 200 })}
${field('customer.email', { zh: '电子邮箱', en: 'Email' }, { required: true, type: 'email', maxLength: 254 })}
${field('customer.phone', { zh: '电话', en: 'Phone' }, { type: 'tel', maxLength: 40 })}
${select({ name: 'customer.market', label: { zh: '客户类型', en: 'Market' }, values, errors, required: true, choices: markets, labels: marketLabels })}
${field(
  'customer.region',
  { zh: '省份或国家', en: 'Province or country' },
  {
    required: true,
    maxLength: 64,
    list: 'provinces',
    hint: '国内客户填省份（如 广东），出口客户填国家代码（如 DE）。Domestic: province (e.g. Guangdong); export: ISO country code (e.g. DE).',
  },
)}
<datalist id="provinces">${provinces.map((p) => html`<option value="${p.zh}">${p.en}</option>`)}</datalist>
${select({ name: 'language', label: { zh: '回复语言', en: 'Reply language' }, values, errors, choices: languages, labels: languageLabels, blank: true })}
</fieldset>
<fieldset><legend>意见内容 Your complaint or suggestion</legend>
${select({ name: 'category', label: { zh: '类别', en: 'Category' }, values, errors, required: true, choices: categories, labels: categoryLabels, blank: true })}
${field('subject', { zh: '主题', en: 'Subject' }, { required: true, maxLength: 200 })}
<label for="description">详细描述 Description *</label>
<textarea id="description" name="description" required maxlength="${maxDescriptionLength}">${values.description ?? ''}</textarea>
${errors.description ? html`<div class="error">${errors.description}</div>` : ''}
</fieldset>
<fieldset><legend>产品追溯（选填）Product trace (optional)</legend>
${field('order.contractNo', { zh: '合同号', en: 'Contract no.' }, { maxLength: 64 })}
${field('order.orderNo', { zh: '订单号', en: 'Order no.' }, { maxLength: 64 })}
${field('order.deliveryNoteNo', { zh: '送货单号', en: 'Delivery note no.' }, { maxLength: 64 })}
${field('order.batchNo', { zh: '批号', en: 'Batch / lot no.' }, { maxLength: 64 })}
${field('order.productModel', { zh: '产品型号', en: 'Product model' }, { maxLength: 100 })}
</fieldset>
<fieldset><legend>三包要求（选填）Remedy requested (optional)</legend>
${select({ name: 'claim.type', label: { zh: '要求', en: 'Request' }, values, errors, choices: claimTypes, labels: claimTypeLabels, blank: true })}
${field('claim.amount', { zh: '金额', en: 'Amount' }, { maxLength: 16 })}
${field('claim.currency', { zh: '币种', en: 'Currency' }, { maxLength: 3, hint: 'CNY, USD, EUR…' })}
</fieldset>
<button type="submit">提交 Submit</button>
</form>`,
  );
}

export function thanksPage(reference: string, statusAction: string): SafeHtml {
  return layout(
    `${reference} 已收到 Received`,
    html`<h1>感谢您的反馈 · Thank you</h1>
<p>我们已收到您的意见，处理编号为：<br>We have received your complaint. Your reference is:</p>
<p class="reference">${reference}</p>
<p>确认邮件已发送至您的邮箱。相关部门将尽快与您联系。<br>An acknowledgement is on its way to your email. The department responsible will be in touch.</p>
<form method="get" action="${statusAction}">
<label for="email">查询进度：请输入提交时的邮箱 · Check the status: enter the email you used</label>
<input id="email" name="email" type="email" required>
<p><button type="submit">查询 Check status</button></p>
</form>`,
  );
}

/** `timeline`: the public steps (case handling), rendered after the facts. */
export function statusPage(status: PublicStatus, timeline?: SafeHtml): SafeHtml {
  const label = statusLabels[status.status];
  const category = categoryLabels[status.category as Category];
  return layout(
    `${status.reference}`,
    html`<h1>${status.reference}</h1>
<dl>
<dt>状态 Status</dt><dd>${both(label)}</dd>
<dt>类别 Category</dt><dd>${both(category)}</dd>
<dt>主题 Subject</dt><dd>${status.subject}</dd>
<dt>受理时间 Received</dt><dd>${status.receivedAt}</dd>
<dt>更新时间 Updated</dt><dd>${status.updatedAt}</dd>
</dl>
${timeline ?? ''}`,
  );
}

/** A bilingual message page as the whole answer: not found, too long, still processing. */
export function messageResponse(status: number, title: Bilingual, text: Bilingual) {
  return htmlResponse(status, messagePage(title, text));
}

export function messagePage(title: Bilingual, text: Bilingual): SafeHtml {
  return layout(
    both(title),
    html`<h1>${title.zh} · ${title.en}</h1><p>${text.zh}<br>${text.en}</p>`,
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
