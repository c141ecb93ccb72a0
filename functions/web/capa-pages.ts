/**
 * The console's CAPA pages: the list, the new-CAPA form (prefilled from a statistics
 * suggestion's link) and one CAPA with its plan, linked complaints, history and a form for
 * each step the user may take now. Plain forms (post/redirect/get), no script; Chinese, or
 * English with `?lang=en`.
 */
import type { FieldErrors } from '#functions/contract/fields.ts';
import type { CapaItem } from '#functions/data/capa.ts';
import {
  type CapaAction,
  type CapaSource,
  type CapaStatus,
  type CapaType,
  canCreateCapa,
  capaSources,
  capaTypes,
  endOfChinaDay,
} from '#functions/domain/capa.ts';
import { categories } from '#functions/domain/complaint.ts';
import { departmentCodes, departmentNames } from '#functions/domain/departments.ts';
import { type Bilingual, categoryLabels } from '#functions/domain/labels.ts';
import { formatChinaTime } from '#functions/domain/working-hours.ts';
import type { CapaView } from '#functions/services/capa.ts';
import type { StaffUser } from '#functions/services/staff-tokens.ts';
import { html, type SafeHtml } from '#functions/shared/html.ts';
import { staffPath } from '#functions/shared/staff-session.ts';
import { type ConsoleLanguage, consoleHeader, staffLayout, t } from './staff-pages.ts';

export const capaTypeLabels: Record<CapaType, Bilingual> = {
  corrective: { zh: '纠正措施', en: 'Corrective' },
  preventive: { zh: '预防措施', en: 'Preventive' },
};

export const capaSourceLabels: Record<CapaSource, Bilingual> = {
  complaints: { zh: '用户投诉', en: 'Complaints' },
  statistics: { zh: '统计分析发现', en: 'Statistics finding' },
  survey: { zh: '年度满意度调查', en: 'Yearly survey' },
  suggestion: { zh: '建议', en: 'Suggestion' },
};

export const capaStatusLabels: Record<CapaStatus, Bilingual> = {
  open: { zh: '待总经理批准计划', en: 'Open (plan awaiting approval)' },
  in_progress: { zh: '实施中', en: 'In progress' },
  awaiting_verification: { zh: '待验证', en: 'Awaiting verification' },
  effective: { zh: '有效，已关闭', en: 'Effective (closed)' },
  not_effective: { zh: '无效，需修订', en: 'Not effective' },
};

const stepLabels: Record<CapaAction | 'create' | 'escalated', Bilingual> = {
  create: { zh: '制定', en: 'Created' },
  approve_plan: { zh: '批准计划', en: 'Approve the plan' },
  complete_action: { zh: '措施完成', en: 'Action done' },
  submit: { zh: '提交验证', en: 'Submit for verification' },
  verify: { zh: '验证有效性', en: 'Verify effectiveness' },
  close: { zh: '批准关闭', en: 'Approve the closure' },
  revise: { zh: '修订计划', en: 'Revise the plan' },
  note: { zh: '备注', en: 'Note' },
  escalated: { zh: '措施逾期上报', en: 'Action overdue, escalated' },
};
const stepLabelsByName = new Map<string, Bilingual>(Object.entries(stepLabels));

const capaStyles = html`<style>
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e1e4ea;vertical-align:top}
.overdue{color:#a4262c;font-weight:600}.timeline{list-style:none;padding:0}.timeline li{border-left:3px solid #1b5fae;padding:.25rem .75rem;margin:.5rem 0}
.actions form{border:1px solid #c8ccd4;border-radius:6px;padding:.75rem 1rem;margin:1rem 0}
textarea{width:100%;min-height:5rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;white-space:pre-wrap}
fieldset.row{display:grid;grid-template-columns:1fr;gap:.25rem}td{overflow-wrap:anywhere}
@media (max-width:40rem){table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
table.stack tr{display:block;border-bottom:2px solid #c8ccd4;padding:.25rem 0}table.stack td{display:block;border:0;padding:.15rem .5rem}
table.stack td::before{content:attr(data-label) "：";font-weight:600}}
</style>`;

const langQuery = (lang: ConsoleLanguage, first = '?') => (lang === 'en' ? `${first}lang=en` : '');
const capaHref = (reference: string, lang: ConsoleLanguage) =>
  `${staffPath(`/capa/${encodeURIComponent(reference)}`)}${langQuery(lang)}`;
const complaintHref = (reference: string, lang: ConsoleLanguage) =>
  `${staffPath(`/complaints/${encodeURIComponent(reference)}`)}${langQuery(lang)}`;

export interface CapaListInput {
  user: StaffUser;
  csrf: string;
  lang: ConsoleLanguage;
  items: CapaItem[];
  now: Date;
}

function nextDue(item: CapaItem, now: Date): { date: string; overdue: boolean } | undefined {
  const undone = item.actions
    .filter((planned) => !planned.doneAt)
    .map((planned) => planned.dueDate);
  if (item.status === 'effective' || undone.length === 0) return undefined;
  const date = [...undone].sort()[0] ?? '';
  return { date, overdue: Date.parse(endOfChinaDay(date)) <= now.getTime() };
}

export function capaListPage(input: CapaListInput): SafeHtml {
  const { lang } = input;
  const open = input.items.filter((item) => item.status !== 'effective');
  const closed = input.items.filter((item) => item.status === 'effective');
  const table = (items: CapaItem[]) =>
    items.length === 0
      ? html`<p>${t(lang, '无。', 'None.')}</p>`
      : html`<table class="stack"><thead><tr><th>${t(lang, '编号', 'Reference')}</th><th>${t(lang, '类型', 'Type')}</th><th>${t(lang, '问题', 'Problem')}</th><th>${t(lang, '状态', 'Status')}</th><th>${t(lang, '相关投诉', 'Complaints')}</th><th>${t(lang, '下一期限', 'Next due')}</th></tr></thead><tbody>
${items.map((item) => {
  const due = nextDue(item, input.now);
  return html`<tr${due?.overdue ? html` class="overdue"` : ''}>
<td data-label="${t(lang, '编号', 'Reference')}"><a href="${capaHref(item.reference, lang)}">${item.reference}</a></td>
<td data-label="${t(lang, '类型', 'Type')}">${capaTypeLabels[item.type][lang]}</td>
<td data-label="${t(lang, '问题', 'Problem')}">${item.problem.length > 80 ? `${item.problem.slice(0, 80)}…` : item.problem}</td>
<td data-label="${t(lang, '状态', 'Status')}">${capaStatusLabels[item.status][lang]}</td>
<td data-label="${t(lang, '相关投诉', 'Complaints')}">${item.complaints.length}</td>
<td data-label="${t(lang, '下一期限', 'Next due')}">${due ? html`${due.date}${due.overdue ? html` <strong>${t(lang, '已逾期', 'overdue')}</strong>` : ''}` : '–'}</td>
</tr>`;
})}</tbody></table>`;
  return staffLayout(
    t(lang, '纠正预防措施', 'Corrective and preventive actions'),
    html`${capaStyles}
<h1>${t(lang, '纠正预防措施', 'Corrective and preventive actions')}</h1>
${canCreateCapa(input.user.roles) ? html`<p><a href="${staffPath('/capa/new')}${langQuery(lang)}">${t(lang, '新建纠正预防措施', 'New CAPA')}</a></p>` : ''}
<h2>${t(lang, '进行中', 'Open')}</h2>
${table(open)}
<h2>${t(lang, '已关闭', 'Closed')}</h2>
${table(closed)}`,
    lang,
    consoleHeader(input.user, input.csrf, lang, '/capa'),
  );
}

/** What the new-CAPA form shows: a suggestion's prefill, or what was posted back with errors. */
export interface CapaFormValues {
  /** The form's own key: posted twice, it is still one CAPA. */
  idempotencyKey?: string;
  type?: string;
  source?: string;
  sourceNote?: string;
  complaints?: string;
  category?: string;
  productModel?: string;
  problem?: string;
  rootCause?: string;
  actions?: { description?: string; department?: string; dueDate?: string }[];
  effectiveness?: { method?: string; dueDate?: string };
}

export interface NewCapaPageInput {
  user: StaffUser;
  csrf: string;
  lang: ConsoleLanguage;
  values: CapaFormValues;
  errors?: FieldErrors;
}

const actionRows = 3;

export function newCapaPage(input: NewCapaPageInput): SafeHtml {
  const { lang, values } = input;
  const errors = input.errors ?? {};
  const option = (value: string, label: string, selected: string | undefined) =>
    html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`;
  const invalid = (name: string) =>
    errors[name] ? html` aria-invalid="true" aria-describedby="${name}-error"` : '';
  const error = (name: string) =>
    errors[name] ? html`<p class="error" id="${name}-error">${errors[name]}</p>` : '';
  const errorFor = (prefix: string) =>
    Object.entries(errors)
      .filter(([name]) => name === prefix || name.startsWith(`${prefix}.`))
      .map(([, text]) => text)[0];
  const rows = Array.from({ length: actionRows }, (_, index) => values.actions?.[index] ?? {});
  return staffLayout(
    t(lang, '新建纠正预防措施', 'New CAPA'),
    html`${capaStyles}
<p><a href="${staffPath('/capa')}${langQuery(lang)}">← ${t(lang, '纠正预防措施', 'CAPA')}</a></p>
<h1>${t(lang, '新建纠正预防措施', 'New corrective or preventive action')}</h1>
${
  Object.keys(errors).length > 0
    ? html`<div class="summary" role="alert"><h2>${t(lang, '请改正以下内容', 'Please correct the following')}</h2><ul>${Object.entries(
        errors,
      ).map(([name, text]) =>
        name === '_' ? html`<li>${text}</li>` : html`<li>${name}: ${text}</li>`,
      )}</ul></div>`
    : ''
}
<form method="post" action="${staffPath('/capa')}${langQuery(lang)}">
<input type="hidden" name="csrf" value="${input.csrf}">
${values.idempotencyKey ? html`<input type="hidden" name="idempotencyKey" value="${values.idempotencyKey}">` : ''}
<label for="type">${t(lang, '类型', 'Type')}</label>
<select id="type" name="type"${invalid('type')}>${capaTypes.map((type) => option(type, capaTypeLabels[type][lang], values.type ?? 'corrective'))}</select>${error('type')}
<label for="source">${t(lang, '来源', 'Source')}</label>
<select id="source" name="source"${invalid('source')}>${capaSources.map((source) => option(source, capaSourceLabels[source][lang], values.source ?? 'complaints'))}</select>${error('source')}
<label for="complaints">${t(lang, '相关投诉编号（逗号分隔）', 'Complaint references (comma-separated)')}</label>
<input id="complaints" name="complaints" value="${values.complaints ?? ''}"${invalid('complaints')}>${error('complaints')}
<label for="source-note">${t(lang, '来源说明（统计发现、调查、建议）', 'About the source (finding, survey, suggestion)')}</label>
<textarea id="source-note" name="sourceNote">${values.sourceNote ?? ''}</textarea>
<label for="category">${t(lang, '类别', 'Category')}</label>
<select id="category" name="category">${option('', '–', values.category)}${categories.map((category) => option(category, categoryLabels[category][lang], values.category))}</select>
<label for="product-model">${t(lang, '产品型号', 'Product model')}</label>
<input id="product-model" name="productModel" value="${values.productModel ?? ''}">
<label for="problem">${t(lang, '问题描述', 'Problem')}</label>
<textarea id="problem" name="problem" required${invalid('problem')}>${values.problem ?? ''}</textarea>${error('problem')}
<label for="root-cause">${t(lang, '根本原因', 'Root cause')}</label>
<textarea id="root-cause" name="rootCause" required${invalid('rootCause')}>${values.rootCause ?? ''}</textarea>${error('rootCause')}
<h2>${t(lang, '措施', 'Actions')}</h2>
${errorFor('actions') ? html`<p class="error">${errorFor('actions')}</p>` : ''}
${rows.map(
  (
    row,
    index,
  ) => html`<fieldset class="row"><legend>${t(lang, `措施 ${index + 1}`, `Action ${index + 1}`)}${index > 0 ? t(lang, '（可选）', ' (optional)') : ''}</legend>
<label for="action-${index}-description">${t(lang, '内容', 'What')}</label>
<textarea id="action-${index}-description" name="actions.${index}.description"${index === 0 ? html` required` : ''}>${row.description ?? ''}</textarea>
<label for="action-${index}-department">${t(lang, '责任部门', 'Owner department')}</label>
<select id="action-${index}-department" name="actions.${index}.department"${index === 0 ? html` required` : ''}>${option('', '–', row.department)}${departmentCodes.map((code) => option(code, departmentNames[code][lang], row.department))}</select>
<label for="action-${index}-due">${t(lang, '完成期限', 'Due date')}</label>
<input id="action-${index}-due" name="actions.${index}.dueDate" type="date" value="${row.dueDate ?? ''}"${index === 0 ? html` required` : ''}>
</fieldset>`,
)}
<h2>${t(lang, '有效性验证', 'Effectiveness check')}</h2>
<label for="effectiveness-method">${t(lang, '如何验证', 'How it will be checked')}</label>
<textarea id="effectiveness-method" name="effectiveness.method" required${invalid('effectiveness.method')}>${values.effectiveness?.method ?? ''}</textarea>${error('effectiveness.method')}
<label for="effectiveness-due">${t(lang, '验证日期', 'When')}</label>
<input id="effectiveness-due" name="effectiveness.dueDate" type="date" required value="${values.effectiveness?.dueDate ?? ''}"${invalid('effectiveness.dueDate')}>${error('effectiveness.dueDate')}
<p><button type="submit">${t(lang, '提交', 'Create')}</button></p>
</form>`,
    lang,
    consoleHeader(input.user, input.csrf, lang, '/capa/new'),
  );
}

const notices: Record<string, Bilingual> = {
  created: { zh: '已创建。', en: 'Created.' },
  done: { zh: '已记录。', en: 'Recorded.' },
  invalid: {
    zh: '填写有误或缺少必填项，未记录。',
    en: 'Some fields were missing or invalid: nothing was recorded.',
  },
  stale: {
    zh: '有人刚刚处理了此措施，请查看最新情况后再操作。',
    en: 'Someone acted on this CAPA just now: check it and try again.',
  },
  not_allowed: { zh: '当前状态不允许此操作。', en: 'Its status does not allow that now.' },
  forbidden: { zh: '您的角色不能执行此操作。', en: 'Your roles may not take that step.' },
};

export interface CapaPageInput {
  user: StaffUser;
  csrf: string;
  lang: ConsoleLanguage;
  view: CapaView;
  notice?: string;
}

export function capaPage(input: CapaPageInput): SafeHtml {
  const { view, lang, csrf } = input;
  const notice = input.notice ? notices[input.notice] : undefined;
  const action = `${staffPath(`/capa/${view.reference}/actions`)}${langQuery(lang)}`;
  const hidden = (name: CapaAction) =>
    html`<input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="action" value="${name}"><input type="hidden" name="version" value="${view.version}">`;
  const field = (id: string, name: string, label: string, required = true) =>
    html`<label for="${id}">${label}</label><textarea id="${id}" name="${name}"${required ? html` required` : ''}></textarea>`;
  const form = (name: CapaAction, body: SafeHtml | string, extra: SafeHtml | string = '') =>
    html`<form method="post" action="${action}" aria-label="${stepLabels[name][lang]}${extra ? ` ${extra}` : ''}">${hidden(name)}
<h3>${stepLabels[name][lang]}${extra ? html` ${extra}` : ''}</h3>${body}
<p><button type="submit">${stepLabels[name][lang]}</button></p></form>`;
  const forms: SafeHtml[] = [];
  for (const step of view.allowedSteps) {
    switch (step) {
      case 'approve_plan':
      case 'submit':
      case 'close':
        forms.push(
          form(
            step,
            field(
              `${step}-comment`,
              'comment',
              t(lang, '意见（可选）', 'Comment (optional)'),
              false,
            ),
          ),
        );
        break;
      case 'complete_action':
        for (const index of view.completableActions) {
          forms.push(
            form(
              step,
              html`<input type="hidden" name="index" value="${index}">${field(`done-${index}`, 'result', t(lang, '完成情况', 'What was done'))}`,
              `${index + 1}`,
            ),
          );
        }
        break;
      case 'verify':
        forms.push(
          form(
            step,
            html`<fieldset><legend>${t(lang, '结论', 'Verdict')}</legend>
<label><input type="radio" name="verdict" value="effective" required> ${t(lang, '有效', 'Effective')}</label>
<label><input type="radio" name="verdict" value="not_effective"> ${t(lang, '无效', 'Not effective')}</label></fieldset>
${field('verify-evidence', 'evidence', t(lang, '验证依据', 'Evidence'))}`,
          ),
        );
        break;
      case 'revise':
        forms.push(
          form(
            step,
            html`${field('revise-comment', 'comment', t(lang, '修订理由', 'Why'))}
${field('revise-root-cause', 'rootCause', t(lang, '根本原因（如有变化）', 'Root cause (if it changed)'), false)}
${field('revise-action', 'actions.0.description', t(lang, '新增措施', 'New action'))}
<label for="revise-department">${t(lang, '责任部门', 'Owner department')}</label>
<select id="revise-department" name="actions.0.department" required>${departmentCodes.map((code) => html`<option value="${code}">${departmentNames[code][lang]}</option>`)}</select>
<label for="revise-due">${t(lang, '完成期限', 'Due date')}</label><input id="revise-due" name="actions.0.dueDate" type="date" required>`,
          ),
        );
        break;
      case 'note':
        forms.push(form(step, field('note-text', 'text', t(lang, '备注内容', 'Note'))));
        break;
    }
  }
  const facts: [string, unknown][] = [
    [t(lang, '状态', 'Status'), capaStatusLabels[view.status][lang]],
    [t(lang, '类型', 'Type'), capaTypeLabels[view.type][lang]],
    [t(lang, '来源', 'Source'), capaSourceLabels[view.source][lang]],
    [t(lang, '来源说明', 'About the source'), view.sourceNote ?? ''],
    [
      t(lang, '类别 / 型号', 'Category / model'),
      [
        view.category ? (categoryLabelOf(view.category)?.[lang] ?? view.category) : '',
        view.productModel ?? '',
      ]
        .filter(Boolean)
        .join(' · '),
    ],
    [t(lang, '问题', 'Problem'), view.problem],
    [t(lang, '根本原因', 'Root cause'), view.rootCause],
    [t(lang, '创建', 'Created'), `${formatChinaTime(view.createdAt)} · ${view.createdBy.name}`],
    [
      t(lang, '计划批准', 'Plan approved'),
      view.planApprovedAt ? formatChinaTime(view.planApprovedAt) : '',
    ],
    [
      t(lang, '有效性验证', 'Effectiveness check'),
      `${view.effectiveness.method} (${t(lang, '期限', 'due')} ${view.effectiveness.dueDate})`,
    ],
    [
      t(lang, '验证结论', 'Verification'),
      view.verification
        ? `${view.verification.verdict === 'effective' ? t(lang, '有效', 'Effective') : t(lang, '无效', 'Not effective')} · ${view.verification.by} · ${formatChinaTime(view.verification.at)} — ${view.verification.evidence}`
        : '',
    ],
    [t(lang, '关闭', 'Closed'), view.closedAt ? formatChinaTime(view.closedAt) : ''],
  ];
  return staffLayout(
    `${view.reference} · ${capaTypeLabels[view.type][lang]}`,
    html`${capaStyles}
<p><a href="${staffPath('/capa')}${langQuery(lang)}">← ${t(lang, '纠正预防措施', 'CAPA')}</a></p>
<h1>${view.reference} · ${capaTypeLabels[view.type][lang]}</h1>
${notice ? html`<p role="status" class="card">${notice[lang]}</p>` : ''}
<dl>${facts.filter(([, value]) => value).map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`)}</dl>
<h2>${t(lang, '措施', 'Actions')}</h2>
<table class="stack"><thead><tr><th>#</th><th>${t(lang, '内容', 'What')}</th><th>${t(lang, '责任部门', 'Owner')}</th><th>${t(lang, '期限', 'Due')}</th><th>${t(lang, '完成', 'Done')}</th></tr></thead><tbody>
${view.actions.map(
  (
    planned,
    index,
  ) => html`<tr${view.overdueActions.includes(index) ? html` class="overdue"` : ''}><td data-label="#">${index + 1}</td><td data-label="${t(lang, '内容', 'What')}">${planned.description}</td><td data-label="${t(lang, '责任部门', 'Owner')}">${departmentNames[planned.department][lang]}</td>
<td data-label="${t(lang, '期限', 'Due')}">${planned.dueDate}${view.overdueActions.includes(index) ? html` <strong>${t(lang, '已逾期', 'overdue')}</strong>` : ''}</td>
<td data-label="${t(lang, '完成', 'Done')}">${planned.doneAt ? `${formatChinaTime(planned.doneAt)} · ${planned.doneBy ?? ''}${planned.result ? ` — ${planned.result}` : ''}` : '–'}</td></tr>`,
)}</tbody></table>
<h2>${t(lang, '相关投诉', 'Linked complaints')}</h2>
${
  view.complaints.length === 0
    ? html`<p>${t(lang, '无。', 'None.')}</p>`
    : html`<ul>${view.complaints.map((reference) => html`<li><a href="${complaintHref(reference, lang)}">${reference}</a></li>`)}</ul>`
}
<h2>${t(lang, '记录', 'History')}</h2>
<ol class="timeline">${view.history.map(
      (entry) =>
        html`<li><strong>${stepLabelsByName.get(entry.type)?.[lang] ?? entry.type}</strong> · ${formatChinaTime(entry.at)}${
          'email' in entry.actor
            ? html` · ${entry.actor.name || entry.actor.email} (${entry.actor.roles.map((role) => departmentNames[role][lang]).join(', ')})`
            : html` · ${t(lang, '系统', 'system')}`
        }${historyFields(entry.fields, lang)}</li>`,
    )}</ol>
<h2>${t(lang, '可执行的操作', 'What you can do')}</h2>
<div class="actions">${forms.length === 0 ? html`<p>${t(lang, '当前没有您可执行的操作。', 'Nothing for you to do now.')}</p>` : forms}</div>`,
    lang,
    consoleHeader(input.user, csrf, lang, `/capa/${view.reference}`),
  );
}

function categoryLabelOf(category: string): Bilingual | undefined {
  return new Map<string, Bilingual>(Object.entries(categoryLabels)).get(category);
}

const fieldLabels: Record<string, Bilingual> = {
  comment: { zh: '意见', en: 'Comment' },
  text: { zh: '内容', en: 'Text' },
  result: { zh: '完成情况', en: 'Done' },
  evidence: { zh: '验证依据', en: 'Evidence' },
  rootCause: { zh: '根本原因', en: 'Root cause' },
};

function historyFields(fields: Record<string, unknown>, lang: ConsoleLanguage): SafeHtml {
  const lines: SafeHtml[] = [];
  if (typeof fields.verdict === 'string') {
    lines.push(
      html`<br>${t(lang, '结论', 'Verdict')}：${fields.verdict === 'effective' ? t(lang, '有效', 'effective') : t(lang, '无效', 'not effective')}`,
    );
  }
  if (typeof fields.index === 'number')
    lines.push(html`<br>${t(lang, '措施', 'Action')} ${fields.index + 1}`);
  if (typeof fields.action === 'number') {
    lines.push(html`<br>${t(lang, '措施', 'Action')} ${fields.action + 1}`);
  }
  const notify = fields.notify;
  if (Array.isArray(notify)) {
    const names = departmentCodes
      .filter((code) => notify.includes(code))
      .map((code) => departmentNames[code][lang])
      .join(', ');
    lines.push(html`<br>${t(lang, '上报给', 'Escalated to')}：${names}`);
  }
  for (const [name, label] of Object.entries(fieldLabels)) {
    const value = fields[name];
    if (typeof value === 'string') lines.push(html`<br>${label[lang]}：${value}`);
  }
  return html`${lines}`;
}

export function capaNotFoundPage(user: StaffUser, csrf: string, lang: ConsoleLanguage): SafeHtml {
  return staffLayout(
    t(lang, '未找到', 'Not found'),
    html`<h1>${t(lang, '未找到', 'Not found')}</h1>
<p>${t(lang, '没有此编号的纠正预防措施。', 'No CAPA has this reference.')} <a href="${staffPath('/capa')}${langQuery(lang)}">${t(lang, '纠正预防措施', 'CAPA')}</a></p>`,
    lang,
    consoleHeader(user, csrf, lang, '/capa'),
  );
}
