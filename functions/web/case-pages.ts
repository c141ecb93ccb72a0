/**
 * The console's case pages: the queue (overdue first) and one complaint with its trace,
 * assignments, due dates, timeline and a form for each action the user may take now.
 * Plain forms posting to the server (post/redirect/get), no script; Chinese or English.
 */
import { randomUUID } from 'node:crypto';
import type { CaseAction } from '#functions/domain/case-lifecycle.ts';
import { type ComplaintStatus, categories, statuses } from '#functions/domain/complaint.ts';
import { type DepartmentCode, departmentNames } from '#functions/domain/departments.ts';
import { type Bilingual, categoryLabels } from '#functions/domain/labels.ts';
import { remedyTypes } from '#functions/domain/routing.ts';
import { chinaDateTime, formatChinaTime } from '#functions/domain/working-hours.ts';
import { remedyLabels, remedyText } from '#functions/email/case-emails.ts';
import { roleLabels, severityLabels } from '#functions/email/templates.ts';
import type { CaseView, QueueRow } from '#functions/services/case-views.ts';
import type { StaffUser } from '#functions/services/staff-tokens.ts';
import { html, type SafeHtml } from '#functions/shared/html.ts';
import { staffPath } from '#functions/shared/staff-session.ts';
import { type ConsoleLanguage, consoleHeader, staffLayout, t } from './staff-pages.ts';

export const staffStatusLabels: Record<ComplaintStatus, Bilingual> = {
  received: { zh: '已受理', en: 'Received' },
  routed: { zh: '已分派', en: 'Routed' },
  in_progress: { zh: '处理中', en: 'In progress' },
  awaiting_approval: { zh: '待总经理审批', en: 'Awaiting approval' },
  responded: { zh: '已答复客户', en: 'Responded' },
  closed: { zh: '已结案', en: 'Closed' },
  reopened: { zh: '已重新打开', en: 'Reopened' },
};

const actionLabels: Record<
  | CaseAction
  | 'customer_answer'
  | 'closed_no_reply'
  | 'received'
  | 'routed'
  | 'notification_failed'
  | 'customer_mail_bounced'
  | 'escalated'
  | 'visit_scheduled'
  | 'visit_reported'
  | 'visit_reminded',
  Bilingual
> = {
  visit_scheduled: { zh: '安排上门服务', en: 'Visit scheduled' },
  visit_reported: { zh: '上门服务报告', en: 'Visit reported' },
  visit_reminded: { zh: '上门报告逾期提醒', en: 'Visit report overdue: reminded' },
  received: { zh: '收到意见', en: 'Received' },
  routed: { zh: '分派部门', en: 'Routed' },
  notification_failed: { zh: '邮件未送达', en: 'Email not delivered' },
  customer_mail_bounced: { zh: '客户邮件被退回', en: 'Customer’s mail bounced' },
  escalated: { zh: '逾期上报', en: 'Escalated (overdue)' },
  accept: { zh: '受理', en: 'Accept' },
  note: { zh: '备注', en: 'Note' },
  investigate: { zh: '原因分析', en: 'Investigate' },
  propose: { zh: '提出处理方案', en: 'Propose' },
  approve: { zh: '批准', en: 'Approve' },
  reject: { zh: '不批准', en: 'Reject' },
  respond: { zh: '答复客户', en: 'Respond' },
  close: { zh: '结案', en: 'Close' },
  reopen: { zh: '重新打开', en: 'Reopen' },
  customer_answer: { zh: '客户评价', en: 'Customer’s answer' },
  closed_no_reply: { zh: '未回复，结案', en: 'Closed, no reply' },
};

const eventLabels = new Map<string, Bilingual>(Object.entries(actionLabels));
const remedyLabelsByName = new Map<string, Bilingual>(Object.entries(remedyLabels));

function labelOf(type: string, lang: ConsoleLanguage): string {
  return eventLabels.get(type)?.[lang] ?? type;
}

const caseStyles = html`<style>
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e1e4ea;vertical-align:top}
.overdue{color:#a4262c;font-weight:600}.timeline{list-style:none;padding:0}.timeline li{border-left:3px solid #1b5fae;padding:.25rem .75rem;margin:.5rem 0}
.actions form{border:1px solid #c8ccd4;border-radius:6px;padding:.75rem 1rem;margin:1rem 0}.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
table.queue td{overflow-wrap:anywhere}table.queue td:nth-child(3){white-space:nowrap}
textarea{width:100%;min-height:5rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}
</style>`;

const langQuery = (lang: ConsoleLanguage, first = '?') => (lang === 'en' ? `${first}lang=en` : '');

export interface QueuePageInput {
  user: StaffUser;
  csrf: string;
  lang: ConsoleLanguage;
  rows: QueueRow[];
  filters: { status?: string; category?: string };
  nextCursor?: string;
}

/** My departments' open complaints, overdue first, then newest. */
export function queuePage(input: QueuePageInput): SafeHtml {
  const { lang } = input;
  const rows = [...input.rows].sort((a, b) => Number(b.overdue) - Number(a.overdue));
  const option = (value: string, label: string, selected: string | undefined) =>
    html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`;
  return staffLayout(
    t(lang, '待办', 'Queue'),
    html`${caseStyles}
<h1>${t(lang, '待办', 'Queue')}</h1>
<form method="get" action="${staffPath('/')}" class="filters">
${lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<div><label for="status">${t(lang, '状态', 'Status')}</label>
<select id="status" name="status">${option('', t(lang, '全部未结', 'All open'), input.filters.status)}${statuses.map((status) => option(status, staffStatusLabels[status][lang], input.filters.status))}</select></div>
<div><label for="category">${t(lang, '类别', 'Category')}</label>
<select id="category" name="category">${option('', t(lang, '全部', 'All'), input.filters.category)}${categories.map((category) => option(category, categoryLabels[category][lang], input.filters.category))}</select></div>
<div><button type="submit">${t(lang, '筛选', 'Filter')}</button></div>
</form>
${
  rows.length === 0
    ? html`<p>${t(lang, '没有待处理的投诉。', 'Nothing waiting for your departments.')}</p>`
    : html`<table class="queue"><thead><tr><th>${t(lang, '编号', 'Reference')}</th><th>${t(lang, '主题', 'Subject')}</th><th>${t(lang, '状态', 'Status')}</th><th>${t(lang, '期限（北京时间）', 'Due (China time)')}</th></tr></thead><tbody>
${rows.map(
  (row) => html`<tr${row.overdue ? html` class="overdue"` : ''}>
<td><a href="${staffPath(`/complaints/${row.reference}`)}${langQuery(lang)}">${row.reference}</a></td>
<td>${row.subject ?? ''} <small>${categoryLabels[row.category][lang]}</small></td>
<td>${staffStatusLabels[row.status][lang]}</td>
<td>${row.dueAt ? chinaDateTime(row.dueAt) : '–'}${row.overdue ? html` <strong>${t(lang, '已逾期', 'overdue')}</strong>` : ''}</td>
</tr>`,
)}</tbody></table>`
}
${input.nextCursor ? html`<p><a href="${staffPath('/')}?${new URLSearchParams({ ...(input.filters.status ? { status: input.filters.status } : {}), ...(input.filters.category ? { category: input.filters.category } : {}), cursor: input.nextCursor, ...(lang === 'en' ? { lang: 'en' } : {}) }).toString()}">${t(lang, '更早的', 'Older')}</a></p>` : ''}
`,
    lang,
    consoleHeader(input.user, input.csrf, lang, '/'),
  );
}

export interface CasePageInput {
  user: StaffUser;
  csrf: string;
  lang: ConsoleLanguage;
  view: CaseView;
  /** CAPA that name this complaint (`CA-2026-0007`). */
  capaReferences?: string[];
  notice?: string;
}

const notices: Record<string, Bilingual> = {
  done: { zh: '已记录。', en: 'Recorded.' },
  invalid: {
    zh: '填写有误或缺少必填项，未记录。',
    en: 'Some fields were missing or invalid: nothing was recorded.',
  },
  stale: {
    zh: '有人刚刚处理了此投诉，请查看最新情况后再操作。',
    en: 'Someone acted on this complaint just now: check it and try again.',
  },
  not_allowed: {
    zh: '当前状态不允许此操作。',
    en: 'The complaint’s status does not allow that now.',
  },
  forbidden: { zh: '您的角色不能执行此操作。', en: 'Your roles may not take that action.' },
  visit_scheduled: {
    zh: '已安排上门服务，客户和服务人员将收到邮件。',
    en: 'Visit scheduled: the customer and whoever goes are mailed.',
  },
  key_reused: {
    zh: '此表单已提交过其他内容，本次未记录。请重新填写。',
    en: 'This form was sent before with other details: nothing was recorded. Fill it in again.',
  },
};

export function casePage(input: CasePageInput): SafeHtml {
  const { view, lang, csrf } = input;
  const complaint = view.complaint;
  const { customer } = complaint;
  const order = complaint.order ?? {};
  const notice = input.notice ? notices[input.notice] : undefined;
  const action = `${staffPath(`/complaints/${view.reference}/actions`)}${langQuery(lang)}`;
  const hidden = (name: CaseAction) =>
    html`<input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="action" value="${name}"><input type="hidden" name="version" value="${view.version}">`;
  const field = (id: string, name: string, label: string, required = true) =>
    html`<label for="${id}">${label}</label><textarea id="${id}" name="${name}"${required ? html` required` : ''}></textarea>`;
  const forms: Record<CaseAction, () => SafeHtml> = {
    accept: () => html``,
    note: () => field('note-text', 'text', t(lang, '备注内容', 'Note')),
    investigate: () => html`${field('root-cause', 'rootCause', t(lang, '根本原因', 'Root cause'))}
${field('corrective-action', 'correctiveAction', t(lang, '纠正措施', 'Corrective action'))}
<label for="trace-batch">${t(lang, '批号', 'Batch')}</label><input id="trace-batch" name="trace.batchNo" value="${order.batchNo ?? ''}">
<label for="trace-model">${t(lang, '产品型号', 'Model')}</label><input id="trace-model" name="trace.productModel" value="${order.productModel ?? ''}">`,
    propose: () => html`<label for="remedy-type">${t(lang, '处理方式', 'Remedy')}</label>
<select id="remedy-type" name="remedy.type">${remedyTypes.map((type) => html`<option value="${type}">${remedyLabels[type][lang]}</option>`)}</select>
<label for="remedy-amount">${t(lang, '金额', 'Amount')}</label><input id="remedy-amount" name="remedy.amount" inputmode="decimal">
<label for="remedy-currency">${t(lang, '币种', 'Currency')}</label><input id="remedy-currency" name="remedy.currency" value="${customer.market === 'export' ? 'USD' : 'CNY'}" maxlength="3">
${field('response-text', 'response.text', t(lang, '给客户的答复', 'Answer to the customer'))}`,
    approve: () =>
      field('approve-comment', 'comment', t(lang, '意见（可选）', 'Comment (optional)'), false),
    reject: () => field('reject-comment', 'comment', t(lang, '不批准的理由', 'Why not')),
    respond: () =>
      view.proposal
        ? html`<p>${t(lang, '将发送给客户：', 'The customer will get:')} ${remedyText(view.proposal.remedy, lang)} — ${view.proposal.response.text}</p>`
        : html``,
    close: () => field('close-reason', 'reason', t(lang, '结案理由', 'Reason')),
    reopen: () => field('reopen-reason', 'reason', t(lang, '重新打开的理由', 'Reason')),
  };
  const facts: [string, unknown][] = [
    [t(lang, '状态', 'Status'), staffStatusLabels[view.status][lang]],
    [t(lang, '类别', 'Category'), categoryLabels[complaint.category][lang]],
    [
      t(lang, '客户', 'Customer'),
      [customer.name, customer.company, customer.email].filter(Boolean).join(' · '),
    ],
    [t(lang, '严重程度', 'Severity'), view.severity ? severityLabels[view.severity][lang] : ''],
    [
      t(lang, '首次答复期限', 'First response due'),
      view.firstResponseDueAt ? formatChinaTime(view.firstResponseDueAt) : '',
    ],
    [
      t(lang, '处理期限', 'Resolution due'),
      view.resolutionDueAt ? formatChinaTime(view.resolutionDueAt) : '',
    ],
    [
      t(lang, '合同/订单/送货单', 'Contract / order / delivery'),
      [order.contractNo, order.orderNo, order.deliveryNoteNo].filter(Boolean).join(' · '),
    ],
    [
      t(lang, '批号/型号', 'Batch / model'),
      [order.batchNo, order.productModel].filter(Boolean).join(' · '),
    ],
  ];
  return staffLayout(
    `${view.reference} · ${complaint.subject}`,
    html`${caseStyles}
<p><a href="${staffPath('/')}${langQuery(lang)}">← ${t(lang, '待办', 'Queue')}</a></p>
<h1>${view.reference} · ${complaint.subject}</h1>
${notice ? html`<p role="status" class="card">${notice[lang]}</p>` : ''}
${
  view.customerMailBounce
    ? html`<p class="card bounced"><strong>${t(lang, '客户邮件被退回', 'The customer’s mail bounced')}</strong> (${formatChinaTime(view.customerMailBounce.at)}): ${t(lang, '客户的邮箱地址无效，收不到我们的邮件。请改为电话联系客户', 'their address does not work and they get no email from us. Phone them instead')}${customer.phone ? html` (${customer.phone})` : ''}.</p>`
    : ''
}
<dl>${facts.filter(([, value]) => value).map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`)}</dl>
<p style="white-space:pre-wrap">${complaint.description}</p>
${
  input.capaReferences?.length
    ? html`<h2>${t(lang, '纠正预防措施', 'Corrective and preventive actions')}</h2>
<ul>${input.capaReferences.map((capa) => html`<li><a href="${staffPath(`/capa/${encodeURIComponent(capa)}`)}${langQuery(lang)}">${capa}</a></li>`)}</ul>`
    : ''
}
<h2>${t(lang, '分派', 'Assignments')}</h2>
<ul>${view.assignments.map((assignment) => html`<li>${departmentNames[assignment.department][lang]} — ${roleLabels[assignment.role][lang]}</li>`)}</ul>
<h2>${t(lang, '处理记录', 'Timeline')}</h2>
<ol class="timeline">${view.history.map(
      (entry) =>
        html`<li><strong>${labelOf(entry.type, lang)}</strong> · ${formatChinaTime(entry.at)}${
          'email' in entry.actor
            ? html` · ${entry.actor.name ?? entry.actor.email} (${entry.actor.roles.map((role: DepartmentCode) => departmentNames[role][lang]).join(', ')})`
            : ''
        }${historyFields(entry, lang)}</li>`,
    )}</ol>
${view.canScheduleVisit ? visitForm(view, lang, csrf) : ''}
<h2>${t(lang, '可执行的操作', 'What you can do')}</h2>
<div class="actions">${
      view.allowedActions.length === 0
        ? html`<p>${t(lang, '当前没有您可执行的操作。', 'Nothing for you to do now.')}</p>`
        : view.allowedActions.map(
            (
              name,
            ) => html`<form method="post" action="${action}" aria-label="${actionLabels[name][lang]}">${hidden(name)}
<h3>${actionLabels[name][lang]}</h3>${forms[name]()}
<p><button type="submit">${actionLabels[name][lang]}</button></p></form>`,
          )
    }</div>
`,
    lang,
    consoleHeader(input.user, csrf, lang, `/complaints/${view.reference}`),
  );
}

const fieldLabels: Record<string, Bilingual> = {
  text: { zh: '内容', en: 'Text' },
  rootCause: { zh: '根本原因', en: 'Root cause' },
  correctiveAction: { zh: '纠正措施', en: 'Corrective action' },
  comment: { zh: '意见', en: 'Comment' },
  reason: { zh: '理由', en: 'Reason' },
  answer: { zh: '评价', en: 'Answer' },
  visitWindow: { zh: '时间', en: 'When' },
  visitor: { zh: '服务人员', en: 'Who goes' },
  site: { zh: '地点', en: 'Site' },
  siteContact: { zh: '现场联系人', en: 'Contact on site' },
  findings: { zh: '现场发现', en: 'Findings' },
  workDone: { zh: '完成的工作', en: 'Work done' },
  parts: { zh: '零件', en: 'Parts' },
  confirmedBy: { zh: '客户确认人', en: 'Confirmed by' },
};

function historyFields(entry: Record<string, unknown>, lang: ConsoleLanguage): SafeHtml {
  const lines: SafeHtml[] = [];
  for (const [name, label] of Object.entries(fieldLabels)) {
    const value = entry[name];
    if (typeof value === 'string') lines.push(html`<br>${label[lang]}：${value}`);
  }
  for (const [name, label] of [
    ['arrivedAt', { zh: '到达', en: 'Arrived' }],
    ['departedAt', { zh: '离开', en: 'Left' }],
  ] as const) {
    const value = entry[name];
    if (typeof value === 'string') lines.push(html`<br>${label[lang]}：${formatChinaTime(value)}`);
  }
  const remedy = entry.remedy;
  const response = entry.response;
  if (remedy && typeof remedy === 'object' && 'type' in remedy && typeof remedy.type === 'string') {
    const amount =
      'amount' in remedy && typeof remedy.amount === 'number' ? ` ${remedy.amount}` : '';
    const currency =
      'currency' in remedy && typeof remedy.currency === 'string' ? ` ${remedy.currency}` : '';
    lines.push(
      html`<br>${t(lang, '处理方式', 'Remedy')}：${remedyLabelsByName.get(remedy.type)?.[lang] ?? remedy.type}${amount}${currency}`,
    );
  }
  if (
    response &&
    typeof response === 'object' &&
    'text' in response &&
    typeof response.text === 'string'
  ) {
    lines.push(html`<br>${t(lang, '答复', 'Answer')}：${response.text}`);
  }
  return html`${lines}`;
}

/**
 * The owner's form to schedule an on-site visit (posts to `…/visits`), with a key of its own:
 * posted twice (a double click, a reload), it is still one visit.
 */
function visitForm(view: CaseView, lang: ConsoleLanguage, csrf: string): SafeHtml {
  const action = `${staffPath(`/complaints/${view.reference}/visits`)}${langQuery(lang)}`;
  const input = (id: string, label: string, type: string, required: boolean) =>
    html`<label for="visit-${id}">${label}</label><input id="visit-${id}" name="${id}" type="${type}"${required ? html` required` : ''}>`;
  return html`<h2>${t(lang, '上门服务', 'On-site visit')}</h2>
<form method="post" action="${action}" aria-label="${t(lang, '安排上门服务', 'Schedule a visit')}"><input type="hidden" name="csrf" value="${csrf}">
<input type="hidden" name="idempotencyKey" value="${randomUUID()}">
${input('date', t(lang, '日期', 'Date'), 'date', true)}
${input('from', t(lang, '开始时间（网点当地时间，默认北京时间）', 'From (the outlet’s time, China time by default)'), 'time', true)}
${input('to', t(lang, '结束时间', 'To'), 'time', true)}
<label for="visit-assignee">${t(lang, '服务人员', 'Who goes')}</label>
<select id="visit-assignee" name="assignee"><option value="outlet">${t(lang, '负责网点', 'The regional outlet')}${view.outlet ? ` (${view.outlet.id})` : ''}</option><option value="technician">${t(lang, '指定技术人员', 'A named technician')}</option></select>
${input('technicianName', t(lang, '技术人员姓名', 'Technician’s name'), 'text', false)}
${input('technicianEmail', t(lang, '技术人员邮箱', 'Technician’s email'), 'email', false)}
<label for="visit-address">${t(lang, '地点', 'Site address')}</label><textarea id="visit-address" name="address" required></textarea>
${input('contactName', t(lang, '现场联系人', 'Contact on site'), 'text', true)}
${input('contactPhone', t(lang, '联系电话', 'Contact’s phone'), 'tel', false)}
<p><button type="submit">${t(lang, '安排上门服务', 'Schedule the visit')}</button></p></form>`;
}

export function caseNotFoundPage(user: StaffUser, csrf: string, lang: ConsoleLanguage): SafeHtml {
  return staffLayout(
    t(lang, '未找到', 'Not found'),
    html`<h1>${t(lang, '未找到', 'Not found')}</h1>
<p>${t(lang, '没有此编号的投诉，或它未分派给您的部门。', 'No complaint has this reference, or it is not assigned to your departments.')}</p>`,
    lang,
    consoleHeader(user, csrf, lang, '/'),
  );
}
