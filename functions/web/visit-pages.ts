/**
 * The outlet's visit report behind its personal link: one plain form, Chinese with English
 * beside it (an outlet abroad may read either), no script; and the pages after it.
 */
import type { Visit } from '#functions/data/visits.ts';
import { html, type SafeHtml } from '#functions/shared/html.ts';
import { layout, messagePage } from './pages.ts';

const both = (zh: string, en: string) => `${zh} / ${en}`;

export interface VisitFormInput {
  reference: string;
  subject: string;
  visit: Pick<Visit, 'date' | 'from' | 'to' | 'timeZone' | 'address'> & {
    contact: { name: string; phone?: string };
  };
  action: string;
  errors?: Record<string, string>;
  values?: Record<string, string>;
}

export function visitReportPage(input: VisitFormInput): SafeHtml {
  const { visit } = input;
  const values = input.values ?? {};
  const errors = input.errors ?? {};
  const start = `${visit.date}T${visit.from}`;
  const end = `${visit.date}T${visit.to}`;
  const field = (
    name: string,
    label: string,
    kind: 'datetime' | 'line' | 'text',
    required: boolean,
    fallback = '',
  ) => {
    const error = errors[name];
    const described = error ? html` aria-invalid="true" aria-describedby="${name}-error"` : '';
    const control =
      kind === 'text'
        ? html`<textarea id="${name}" name="${name}"${required ? html` required` : ''}${described}>${values[name] ?? ''}</textarea>`
        : html`<input id="${name}" name="${name}" type="${kind === 'datetime' ? 'datetime-local' : 'text'}" value="${values[name] ?? fallback}"${required ? html` required` : ''}${described}>`;
    return html`<p><label for="${name}">${label}</label>${control}${
      error ? html`<span id="${name}-error" class="error">${error}</span>` : ''
    }</p>`;
  };
  return layout(
    both('上门服务报告', 'Visit report'),
    html`<h1>${both('上门服务报告', 'Visit report')}</h1>
<p>${input.reference} · ${input.subject}</p>
<p>${both('预约时间', 'Appointment')}: ${visit.date} ${visit.from}–${visit.to} (${visit.timeZone})<br>${both('地点', 'Site')}: ${visit.address}<br>${both('现场联系人', 'Contact on site')}: ${[visit.contact.name, visit.contact.phone].filter(Boolean).join(', ')}</p>
${
  Object.keys(errors).length
    ? html`<div class="summary" role="alert">${both('请更正标出的内容。', 'Please correct the fields marked.')}</div>`
    : ''
}
<form method="post" action="${input.action}" accept-charset="utf-8">
${field('arrivedAt', both(`到达时间（${visit.timeZone}）`, `Arrived (${visit.timeZone})`), 'datetime', true, start)}
${field('departedAt', both(`离开时间（${visit.timeZone}）`, `Left (${visit.timeZone})`), 'datetime', true, end)}
${field('findings', both('现场发现', 'Findings'), 'text', true)}
${field('workDone', both('完成的工作', 'Work done'), 'text', true)}
${field('parts', both('使用的零件（可选）', 'Parts used (optional)'), 'text', false)}
${field('confirmedBy', both('客户确认人姓名', 'Customer representative who confirmed it'), 'line', true)}
<p><button type="submit">${both('提交报告', 'Send the report')}</button></p>
</form>`,
    'zh-CN',
  );
}

const reportTitle = { zh: '上门服务报告', en: 'Visit report' };

export function visitReportDonePage(): SafeHtml {
  return messagePage(
    { zh: '报告已收到', en: 'Report received' },
    {
      zh: '谢谢，服务报告已记录在投诉中。',
      en: 'Thank you: the report is now part of the complaint.',
    },
  );
}

export function visitReportRefusedPage(reason: 'used' | 'other'): SafeHtml {
  return messagePage(
    reportTitle,
    reason === 'used'
      ? {
          zh: '此次上门服务的报告已经记录，不能再次提交。',
          en: 'This visit has already been reported: it cannot be reported again.',
        }
      : { zh: '此链接无效或已过期。', en: 'This link is not valid or has expired.' },
  );
}
