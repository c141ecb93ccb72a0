/**
 * The console's register (《用户意见登记及处理表》) and statistics pages: server-rendered,
 * no script, filters as a GET form, every chart's numbers also in a table.
 */

import { queryString } from '#functions/contract/register-query.ts';
import type { ExportEntry } from '#functions/data/register.ts';
import { categories, markets, statuses } from '#functions/domain/complaint.ts';
import {
  type CapaSuggestion,
  type CountRow,
  noProductModel,
  type StatisticsFigures,
} from '#functions/domain/complaint-statistics.ts';
import { departmentCodes, departmentNames } from '#functions/domain/departments.ts';
import { type Bilingual, categoryLabels, marketLabels } from '#functions/domain/labels.ts';
import {
  type RegisterQuery,
  type RegisterRow,
  registerColumns,
} from '#functions/domain/register.ts';
import {
  hoursText,
  paretoChart,
  percent,
  trendChart,
} from '#functions/reports/complaint-statistics-report.ts';
import { chinaDateTime } from '#functions/reports/csv.ts';
import { suggestionQuery } from '#functions/services/register.ts';
import type { StaffUser } from '#functions/services/staff-tokens.ts';
import { html, type SafeHtml } from '#functions/shared/html.ts';
import { staffPath } from '#functions/shared/staff-session.ts';
import { staffStatusLabels } from './case-pages.ts';
import { type ConsoleLanguage, consoleHeader, staffLayout, t } from './staff-pages.ts';

const styles = html`<style>
main{max-width:none}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end}.filters label{margin:.25rem 0 .1rem}.filters input,.filters select{width:auto;min-width:8rem}
.scroll{overflow-x:auto;border:1px solid #c8ccd4;border-radius:4px}
table{border-collapse:collapse;width:100%;font-size:.88rem}th,td{text-align:left;padding:.3rem .45rem;border:1px solid #e1e4ea;vertical-align:top}
th{background:#f3f5f8}td.n{text-align:right;font-variant-numeric:tabular-nums}
table.register td,table.register th{white-space:nowrap}table.register td.wrap{white-space:normal;min-width:12rem}
.cards{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}.stat{border:1px solid #c8ccd4;border-radius:6px;padding:.5rem 1rem;min-width:9rem}
.stat .value{font-size:1.5rem;font-weight:700}.stat .label{font-size:.85rem;color:#4b5260}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}
svg{max-width:100%;height:auto;display:block;margin:.5rem 0}caption{text-align:left;font-weight:600;padding:.25rem 0}
.exports a{margin-right:1rem}.suggestion{border:2px solid #c25e00;border-radius:6px;padding:.5rem 1rem;margin:.5rem 0}
</style>`;

function labelledKey(
  kind: 'category' | 'department' | 'market',
  key: string,
  lang: ConsoleLanguage,
): string {
  const map = new Map<string, Bilingual>(
    Object.entries(
      kind === 'category' ? categoryLabels : kind === 'market' ? marketLabels : departmentNames,
    ),
  );
  return map.get(key)?.[lang] ?? key;
}

function modelLabel(key: string, lang: ConsoleLanguage): string {
  return key === noProductModel ? t(lang, '（未填型号）', '(no model)') : key;
}

function filterForm(
  action: string,
  query: RegisterQuery,
  lang: ConsoleLanguage,
  withFilters: boolean,
): SafeHtml {
  const option = (value: string, label: string, selected: string | undefined) =>
    html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`;
  const all = t(lang, '全部', 'All');
  return html`<form method="get" action="${staffPath(action)}" class="filters">
${lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<div><label for="from">${t(lang, '起始日期', 'From')}</label><input id="from" name="from" type="date" value="${query.from}" required></div>
<div><label for="to">${t(lang, '截止日期', 'To')}</label><input id="to" name="to" type="date" value="${query.to}" required></div>
${
  withFilters
    ? html`<div><label for="department">${t(lang, '部门', 'Department')}</label><select id="department" name="department">${option('', all, query.filter.department)}${departmentCodes.map((code) => option(code, departmentNames[code][lang], query.filter.department))}</select></div>
<div><label for="category">${t(lang, '类别', 'Category')}</label><select id="category" name="category">${option('', all, query.filter.category)}${categories.map((category) => option(category, categoryLabels[category][lang], query.filter.category))}</select></div>
<div><label for="status">${t(lang, '状态', 'Status')}</label><select id="status" name="status">${option('', all, query.filter.status)}${statuses.map((status) => option(status, staffStatusLabels[status][lang], query.filter.status))}</select></div>
<div><label for="market">${t(lang, '市场', 'Market')}</label><select id="market" name="market">${option('', all, query.filter.market)}${markets.map((market) => option(market, marketLabels[market][lang], query.filter.market))}</select></div>
<div><label for="region">${t(lang, '地区代码', 'Region code')}</label><input id="region" name="region" value="${query.filter.region ?? ''}" placeholder="CN-GD" size="8"></div>
<div><label for="productModel">${t(lang, '产品型号', 'Product model')}</label><input id="productModel" name="productModel" value="${query.filter.productModel ?? ''}" size="12"></div>`
    : ''
}
<div><button type="submit">${t(lang, '查询', 'Show')}</button></div>
</form>`;
}

export interface RegisterPageInput {
  user: StaffUser;
  csrf: string;
  lang: ConsoleLanguage;
  query: RegisterQuery;
  rows: RegisterRow[];
  nextCursor?: string;
  exports: ExportEntry[];
  error?: boolean;
}

function cellOf(
  row: RegisterRow,
  key: string,
  value: string | number | undefined,
  lang: ConsoleLanguage,
): SafeHtml | string {
  if (value === undefined || value === '') return '';
  if (key === 'reference') {
    return html`<a href="${staffPath(`/complaints/${encodeURIComponent(row.reference)}`)}${lang === 'en' ? '?lang=en' : ''}">${row.reference}</a>`;
  }
  if (key === 'category') return labelledKey('category', String(value), lang);
  if (key === 'market') return labelledKey('market', String(value), lang);
  if (key === 'owner') return labelledKey('department', String(value), lang);
  if (key === 'departments')
    return row.departments
      .map((code) => labelledKey('department', code, lang))
      .join(lang === 'zh' ? '、' : ', ');
  if (key === 'status') return staffStatusLabels[row.status][lang];
  return String(value);
}

export function registerPage(input: RegisterPageInput): SafeHtml {
  const { lang, query } = input;
  const langParam: Record<string, string> = lang === 'en' ? { lang: 'en' } : {};
  const dateKeys = new Set(registerColumns.filter((c) => c.kind === 'date').map((c) => c.key));
  const wide = new Set(['subject', 'rootCause', 'correctiveAction']);
  return staffLayout(
    t(lang, '用户意见登记及处理表', 'Complaint register'),
    html`${styles}
<h1>${t(lang, '用户意见登记及处理表', 'Complaint register')}</h1>
${input.error ? html`<div class="summary" role="alert"><p class="error">${t(lang, '查询条件无效，已显示默认期间。', 'The filter was not valid; showing the default period.')}</p></div>` : ''}
${filterForm('/register', query, lang, true)}
<p class="exports">${t(lang, '导出此查询：', 'Export this query:')}
<a href="${staffPath('/register/export')}?${queryString(query, { format: 'xlsx', ...langParam })}">Excel (XLSX)</a>
<a href="${staffPath('/register/export')}?${queryString(query, { format: 'csv', ...langParam })}">CSV</a></p>
<div class="scroll" role="region" aria-label="${t(lang, '登记表', 'Register')}" tabindex="0"><table class="register">
<thead><tr>${registerColumns.map((column) => html`<th scope="col">${column.label[lang]}</th>`)}</tr></thead>
<tbody>${
      input.rows.length
        ? input.rows.map(
            (row) =>
              html`<tr>${registerColumns.map((column) => {
                const raw = column.value(row);
                const value =
                  dateKeys.has(column.key) && typeof raw === 'string' ? chinaDateTime(raw) : raw;
                return html`<td${column.kind === 'number' ? html` class="n"` : wide.has(column.key) ? html` class="wrap"` : ''}>${cellOf(row, column.key, value, lang)}</td>`;
              })}</tr>`,
          )
        : html`<tr><td colspan="${registerColumns.length}">${t(lang, '此期间没有符合条件的意见。', 'No complaints match in this period.')}</td></tr>`
    }</tbody></table></div>
${input.nextCursor ? html`<p><a href="${staffPath('/register')}?${queryString(query, { cursor: input.nextCursor, ...langParam })}">${t(lang, '下一页 →', 'Next page →')}</a></p>` : ''}
<h2>${t(lang, '导出记录', 'Export history')}</h2>
${
  input.exports.length
    ? html`<table><thead><tr><th scope="col">${t(lang, '时间', 'When')}</th><th scope="col">${t(lang, '导出人', 'Who')}</th><th scope="col">${t(lang, '内容', 'What')}</th><th scope="col">${t(lang, '期间与条件', 'Period and filter')}</th><th scope="col">${t(lang, '行数', 'Rows')}</th></tr></thead><tbody>${input.exports.map(
        (entry) =>
          html`<tr><td>${chinaDateTime(entry.at)}</td><td>${entry.by.name} (${entry.by.email})</td><td>${entry.what} · ${entry.format}</td><td>${entry.period.from} – ${entry.period.to} ${Object.entries(
            entry.filter,
          )
            .map(([name, value]) => `${name}=${value}`)
            .join(' ')}</td><td class="n">${entry.rows}</td></tr>`,
      )}</tbody></table>`
    : html`<p>${t(lang, '今年尚无导出。', 'No exports this year yet.')}</p>`
}`,
    lang,
    consoleHeader(input.user, input.csrf, lang, '/register'),
  );
}

export interface StatisticsPageInput {
  user: StaffUser;
  csrf: string;
  lang: ConsoleLanguage;
  figures: StatisticsFigures;
  error?: boolean;
}

function countTable(
  caption: string,
  heading: string,
  rows: CountRow[],
  label: (key: string) => string,
  lang: ConsoleLanguage,
): SafeHtml {
  return html`<table><caption>${caption}</caption><thead><tr><th scope="col">${heading}</th><th scope="col">${t(lang, '件数', 'Count')}</th></tr></thead><tbody>${
    rows.length
      ? rows.map(
          (row) =>
            html`<tr><th scope="row">${label(row.key)}</th><td class="n">${row.count}</td></tr>`,
        )
      : html`<tr><td colspan="2">${t(lang, '无', 'None')}</td></tr>`
  }</tbody></table>`;
}

function paretoTable(
  caption: string,
  heading: string,
  rows: StatisticsFigures['paretoCategories'],
  label: (key: string) => string,
  lang: ConsoleLanguage,
): SafeHtml {
  return html`<table><caption>${caption}</caption><thead><tr><th scope="col">${heading}</th><th scope="col">${t(lang, '件数', 'Count')}</th><th scope="col">${t(lang, '占比', 'Share')}</th><th scope="col">${t(lang, '累计占比', 'Cumulative')}</th></tr></thead><tbody>${rows.map(
    (row) =>
      html`<tr><th scope="row">${label(row.key)}</th><td class="n">${row.count}</td><td class="n">${percent(row.share)}</td><td class="n">${percent(row.cumulative)}</td></tr>`,
  )}</tbody></table>`;
}

function stat(label: string, value: string, note: string): SafeHtml {
  return html`<div class="stat"><div class="label">${label}</div><div class="value">${value}</div><div class="label">${note}</div></div>`;
}

export function suggestionList(
  suggestions: readonly CapaSuggestion[],
  lang: ConsoleLanguage,
): SafeHtml {
  if (!suggestions.length) {
    return html`<p>${t(lang, '目前没有需要建议纠正预防措施的重复问题。', 'No repeated problem calls for a CAPA now.')}</p>`;
  }
  return html`${suggestions.map(
    (
      suggestion,
    ) => html`<div class="suggestion"><p><strong>${labelledKey('category', suggestion.category, lang)} · ${suggestion.productModel}</strong>: ${suggestion.count} ${t(lang, '件意见', 'complaints')} (${suggestion.firstReceivedAt.slice(0, 10)} – ${suggestion.lastReceivedAt.slice(0, 10)}): ${suggestion.references.join(', ')}</p>
<p><a href="${staffPath('/capa/new')}?${suggestionQuery(suggestion)}">${t(lang, '建立纠正预防措施…', 'Open a CAPA…')}</a> <span class="hint">${t(lang, '由您决定是否采取措施。', 'You decide whether to act.')}</span></p></div>`,
  )}`;
}

export function statisticsPage(input: StatisticsPageInput): SafeHtml {
  const { lang, figures } = input;
  const query: RegisterQuery = { from: figures.from, to: figures.to, filter: {} };
  const langParam: Record<string, string> = lang === 'en' ? { lang: 'en' } : {};
  const category = (key: string) => labelledKey('category', key, lang);
  const department = (key: string) => labelledKey('department', key, lang);
  const market = (key: string) => labelledKey('market', key, lang);
  const model = (key: string) => modelLabel(key, lang);
  const plain = (key: string) => key;
  const shareNote = (share: StatisticsFigures['satisfied']) => `${share.part} / ${share.of}`;
  return staffLayout(
    t(lang, '意见统计', 'Complaint statistics'),
    html`${styles}
<h1>${t(lang, '意见统计', 'Complaint statistics')} · ${figures.from} – ${figures.to}</h1>
${input.error ? html`<div class="summary" role="alert"><p class="error">${t(lang, '期间无效，已显示默认期间。', 'The period was not valid; showing the default period.')}</p></div>` : ''}
${filterForm('/statistics', query, lang, false)}
<p class="exports">${t(lang, '下载这些数字：', 'Download these figures:')}
<a href="${staffPath('/api/statistics')}?${queryString(query, { format: 'csv' })}">CSV</a>
<a href="${staffPath('/api/statistics')}?${queryString(query)}">JSON</a>
<a href="${staffPath('/register')}?${queryString(query, langParam)}">${t(lang, '此期间的登记表', 'The register of this period')}</a></p>
<div class="cards">
${stat(t(lang, '意见总数', 'Complaints'), String(figures.total), `${figures.from} – ${figures.to}`)}
${stat(t(lang, '首次答复及时率', 'First response on time'), percent(figures.firstResponseOnTime.share), shareNote(figures.firstResponseOnTime))}
${stat(t(lang, '解决及时率', 'Resolved on time'), percent(figures.resolutionOnTime.share), shareNote(figures.resolutionOnTime))}
${stat(t(lang, '对处理满意', 'Satisfied with handling'), percent(figures.satisfied.share), shareNote(figures.satisfied))}
${stat(t(lang, '重新打开率', 'Reopen rate'), percent(figures.reopened.share), shareNote(figures.reopened))}
</div>
<h2>${t(lang, '纠正预防措施建议', 'CAPA suggestions')}</h2>
${suggestionList(figures.suggestions, lang)}
<h2>${t(lang, '类别排列图', 'Pareto of categories')}</h2>
${paretoChart('pareto-categories', t(lang, '类别排列图：件数与累计占比', 'Pareto of categories: counts and cumulative share'), figures.paretoCategories, category)}
${paretoTable(t(lang, '按类别', 'By category'), t(lang, '类别', 'Category'), figures.paretoCategories, category, lang)}
<h2>${t(lang, '产品型号排列图', 'Pareto of product models')}</h2>
${paretoChart('pareto-models', t(lang, '产品型号排列图：件数与累计占比', 'Pareto of product models: counts and cumulative share'), figures.paretoProductModels, model)}
${paretoTable(t(lang, '按产品型号', 'By product model'), t(lang, '产品型号', 'Product model'), figures.paretoProductModels, model, lang)}
<h2>${t(lang, '近 12 个月趋势', 'Twelve-month trend')}</h2>
${trendChart('trend', t(lang, '每月收到的意见件数', 'Complaints received per month'), figures.trend)}
<table><caption>${t(lang, '每月件数', 'Per month')}</caption><thead><tr><th scope="col">${t(lang, '月份', 'Month')}</th><th scope="col">${t(lang, '件数', 'Count')}</th></tr></thead><tbody>${figures.trend.map((point) => html`<tr><th scope="row">${point.month}</th><td class="n">${point.count}</td></tr>`)}</tbody></table>
<h2>${t(lang, '处理时效（工作小时）', 'Handling time (working hours)')}</h2>
<table><thead><tr><th scope="col">${t(lang, '时段', 'Span')}</th><th scope="col">${t(lang, '中位数', 'Median')}</th><th scope="col">${t(lang, '第 90 百分位', '90th percentile')}</th><th scope="col">${t(lang, '件数', 'Count')}</th></tr></thead><tbody>
<tr><th scope="row">${t(lang, '至首次答复', 'To first response')}</th><td class="n">${hoursText(figures.firstResponseHours.median)}</td><td class="n">${hoursText(figures.firstResponseHours.p90)}</td><td class="n">${figures.firstResponseHours.count}</td></tr>
<tr><th scope="row">${t(lang, '至结案', 'To close')}</th><td class="n">${hoursText(figures.closeHours.median)}</td><td class="n">${hoursText(figures.closeHours.p90)}</td><td class="n">${figures.closeHours.count}</td></tr>
</tbody></table>
<h2>${t(lang, '分布', 'Breakdown')}</h2>
<div class="grid">
${countTable(t(lang, '按地区', 'By region'), t(lang, '地区', 'Region'), figures.byRegion, plain, lang)}
${countTable(t(lang, '按市场', 'By market'), t(lang, '市场', 'Market'), figures.byMarket, market, lang)}
${countTable(t(lang, '按渠道', 'By channel'), t(lang, '渠道', 'Channel'), figures.byChannel, plain, lang)}
${countTable(t(lang, '按部门', 'By department'), t(lang, '部门', 'Department'), figures.byDepartment, department, lang)}
</div>
<h2>${t(lang, '赔偿合计', 'Compensation totals')}</h2>
<table><thead><tr><th scope="col">${t(lang, '币种', 'Currency')}</th><th scope="col">${t(lang, '合计', 'Total')}</th><th scope="col">${t(lang, '件数', 'Count')}</th></tr></thead><tbody>${
      figures.compensation.length
        ? figures.compensation.map(
            (entry) =>
              html`<tr><th scope="row">${entry.currency}</th><td class="n">${entry.total.toFixed(2)}</td><td class="n">${entry.count}</td></tr>`,
          )
        : html`<tr><td colspan="3">${t(lang, '无', 'None')}</td></tr>`
    }</tbody></table>`,
    lang,
    consoleHeader(input.user, input.csrf, lang, '/statistics'),
  );
}
