import type { CapaItem } from '#functions/data/capa.ts';
import { type ComplaintStatus, statuses } from '#functions/domain/complaint.ts';
import type { CountRow, Share } from '#functions/domain/complaint-statistics.ts';
import { departmentNames } from '#functions/domain/departments.ts';
import { type Bilingual, categoryLabels, marketLabels } from '#functions/domain/labels.ts';
import { chinaDate, type RegisterRow } from '#functions/domain/register.ts';
import { dimensionLabels, ratingDimensions, surveyTitle } from '#functions/domain/survey.ts';
import type { SurveyTally } from '#functions/domain/survey-statistics.ts';
import { formatChinaTime } from '#functions/domain/working-hours.ts';
import type { ReviewPack } from '#functions/services/review-pack.ts';
import { html, SafeHtml } from '#functions/shared/html.ts';
import { capaSourceLabels, capaStatusLabels, capaTypeLabels } from '#functions/web/capa-pages.ts';
import { staffStatusLabels } from '#functions/web/case-pages.ts';
import { hoursText, paretoChart, percent, trendChart } from './complaint-statistics-report.ts';
import {
  formatIndex,
  formatMean,
  formatNps,
  formatShare,
  meansChart,
  regionName,
} from './survey-report.ts';

/** A label in both languages, as the pack and the workbook show them. */
export const both = (label: Bilingual) => `${label.zh} ${label.en}`;

/** A label looked up by a key read from the data: both languages, or the key itself. */
const lookup = <K extends string>(labels: Record<K, Bilingual>) => {
  const map = new Map<string, Bilingual>(Object.entries(labels));
  return (key: string) => {
    const label = map.get(key);
    return label ? both(label) : key;
  };
};
export const categoryName = lookup(categoryLabels);
export const marketName = lookup(marketLabels);
export const departmentName = lookup(departmentNames);
const statusName = lookup(staffStatusLabels);

function shareText(share: Share): string {
  return share.share === null ? '—' : `${percent(share.share)} (${share.part}/${share.of})`;
}

function change(current: number | null, previous: number | null, kind: 'count' | 'share'): string {
  if (current === null || previous === null) return '—';
  const difference = current - previous;
  if (kind === 'share') {
    const points = Math.round(difference * 1000) / 10;
    return `${points > 0 ? '+' : ''}${points.toFixed(1)} pp`;
  }
  const relative =
    previous === 0
      ? ''
      : ` (${difference >= 0 ? '+' : ''}${Math.round((difference / previous) * 100)}%)`;
  return `${difference > 0 ? '+' : ''}${difference}${relative}`;
}

/** The headline figures against the previous period: label, now, before, change. */
export function headlineRows(pack: Pick<ReviewPack, 'statistics' | 'previousStatistics'>) {
  const now = pack.statistics;
  const before = pack.previousStatistics;
  return [
    {
      label: '投诉数 Complaints',
      now: String(now.total),
      before: String(before.total),
      change: change(now.total, before.total, 'count'),
    },
    ...(
      [
        ['首次答复及时率 First response on time', 'firstResponseOnTime'],
        ['处理及时率 Resolved on time', 'resolutionOnTime'],
        ['对处理满意 Satisfied with the handling', 'satisfied'],
        ['重新打开率 Reopened', 'reopened'],
      ] as const
    ).map(([label, key]) => ({
      label,
      now: shareText(now[key]),
      before: shareText(before[key]),
      change: change(now[key].share, before[key].share, 'share'),
    })),
    {
      label: '首次答复工时中位数 Median working hours to first response',
      now: hoursText(now.firstResponseHours.median),
      before: hoursText(before.firstResponseHours.median),
      change: '',
    },
    {
      label: '结案工时中位数 Median working hours to close',
      now: hoursText(now.closeHours.median),
      before: hoursText(before.closeHours.median),
      change: '',
    },
    {
      label: '结案工时第90百分位 90th percentile working hours to close',
      now: hoursText(now.closeHours.p90),
      before: hoursText(before.closeHours.p90),
      change: '',
    },
  ];
}

const styles = new SafeHtml(`<style>
*,*::before,*::after{box-sizing:border-box}
body{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1d2330;margin:0;line-height:1.45;font-size:.95rem}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.2rem;margin:1.25rem 0 .5rem;border-bottom:2px solid #1b3a5c;padding-bottom:.2rem}h3{font-size:1rem;margin:1rem 0 .4rem}
table{border-collapse:collapse;width:100%;table-layout:fixed;margin:.4rem 0 1rem}
th,td{border:1px solid #c8ccd4;padding:.2rem .35rem;text-align:left;vertical-align:top;overflow-wrap:anywhere;word-break:break-word}
th{background:#eef1f5}td.n,th.n{text-align:right}
svg{max-width:100%;height:auto;display:block;margin:.5rem 0}
.meta{color:#4b5260}.toolbar{border:1px solid #c8ccd4;border-radius:6px;padding:.5rem 1rem;margin:0 0 1rem}
.toolbar form{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end}.toolbar label{display:block;font-weight:600}
.toolbar input{font:inherit;padding:.3rem}.toolbar button{font:inherit;padding:.35rem 1rem}
a{color:#1b5fae}
@page{size:A4;margin:14mm 12mm}
@media print{
body{font-size:9pt}main{max-width:none;padding:0}.toolbar{display:none}
section.page{break-before:page}section.page:first-of-type{break-before:auto}
thead{display:table-header-group}tr,svg,h2,h3{break-inside:avoid}h2,h3{break-after:avoid}
a{color:inherit;text-decoration:none}
}
</style>`);

function countTable(caption: string, rows: CountRow[], name: (key: string) => string): SafeHtml {
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  return html`<table><caption class="meta">${caption}</caption><thead><tr><th>${caption}</th><th class="n" style="width:6rem">数量 Count</th><th class="n" style="width:6rem">占比 Share</th></tr></thead><tbody>
${rows.length === 0 ? html`<tr><td colspan="3">—</td></tr>` : ''}${rows.map((row) => html`<tr><td>${name(row.key)}</td><td class="n">${row.count}</td><td class="n">${total ? percent(row.count / total) : '—'}</td></tr>`)}</tbody></table>`;
}

function statisticsSection(pack: ReviewPack): SafeHtml {
  const figures = pack.statistics;
  return html`<section class="page" aria-labelledby="statistics">
<h2 id="statistics">1. 投诉统计 Complaint statistics</h2>
<p class="meta">${pack.from} – ${pack.to}，与上期 ${pack.previous.from} – ${pack.previous.to} 比较 / compared with the previous period.</p>
<table><thead><tr><th style="width:40%">指标 Figure</th><th>本期 This period</th><th>上期 Previous</th><th style="width:14%">变化 Change</th></tr></thead><tbody>
${headlineRows(pack).map((row) => html`<tr><td>${row.label}</td><td>${row.now}</td><td>${row.before}</td><td>${row.change}</td></tr>`)}
</tbody></table>
${trendChart('review-trend', '近12个月投诉趋势 Complaints per month, last 12 months', figures.trend)}
<table><thead><tr>${figures.trend.map((point) => html`<th class="n">${point.month.slice(2)}</th>`)}</tr></thead><tbody><tr>${figures.trend.map((point) => html`<td class="n">${point.count}</td>`)}</tr></tbody></table>
${paretoChart('review-pareto-category', '类别帕累托图 Pareto of categories', figures.paretoCategories, categoryName)}
${countTable('类别 Category', figures.byCategory, categoryName)}
${paretoChart('review-pareto-model', '产品型号帕累托图 Pareto of product models', figures.paretoProductModels, (key) => key)}
${countTable('产品型号 Product model', figures.byProductModel, (key) => key)}
${countTable('市场 Market', figures.byMarket, marketName)}
${countTable('地区 Region', figures.byRegion, (key) => both(regionName(key)))}
${countTable('部门 Department', figures.byDepartment, departmentName)}
<h3>赔偿 Compensation</h3>
<table><thead><tr><th>币种 Currency</th><th class="n">金额 Total</th><th class="n">笔数 Count</th></tr></thead><tbody>
${figures.compensation.length === 0 ? html`<tr><td colspan="3">—</td></tr>` : ''}${figures.compensation.map((entry) => html`<tr><td>${entry.currency}</td><td class="n">${entry.total.toFixed(2)}</td><td class="n">${entry.count}</td></tr>`)}
</tbody></table>
</section>`;
}

function registerSection(pack: ReviewPack): SafeHtml {
  const { register } = pack;
  const shownStatuses = statuses.filter((status) => register.byStatus[status]);
  return html`<section class="page" aria-labelledby="register">
<h2 id="register">2. 用户意见登记表摘要 Register summary</h2>
<p>${register.total} 件投诉 complaints；${register.withCapa} 件已关联纠正预防措施 with a CAPA.</p>
<table><thead><tr><th>状态 Status</th><th class="n">数量 Count</th></tr></thead><tbody>
${shownStatuses.length === 0 ? html`<tr><td colspan="2">—</td></tr>` : ''}${shownStatuses.map((status: ComplaintStatus) => html`<tr><td>${statusName(status)}</td><td class="n">${register.byStatus[status] ?? 0}</td></tr>`)}
</tbody></table>
<table><thead><tr><th style="width:17%">编号 Reference</th><th style="width:12%">收到 Received</th><th>客户 Customer</th><th style="width:14%">类别 Category</th><th style="width:11%">型号 Model</th><th style="width:13%">状态 Status</th><th style="width:14%">纠正预防 CAPA</th></tr></thead><tbody>
${register.rows.length === 0 ? html`<tr><td colspan="7">—</td></tr>` : ''}${register.rows.map(
  (row: RegisterRow) =>
    html`<tr><td>${row.reference}</td><td>${chinaDate(row.receivedAt)}</td><td>${row.company ?? row.customerName}</td><td>${categoryName(row.category)}</td><td>${row.productModel ?? ''}</td><td>${statusName(row.status)}</td><td>${row.capaReferences.join(', ')}</td></tr>`,
)}
</tbody></table>
${register.total > register.rows.length ? html`<p class="meta">前 ${register.rows.length} 件；全部见工作簿 / The first ${register.rows.length}; the workbook has all ${register.total}.</p>` : ''}
</section>`;
}

function capaRows(items: readonly CapaItem[]): SafeHtml {
  return html`<table><thead><tr><th style="width:15%">编号 Reference</th><th style="width:12%">类型 Type</th><th>问题 Problem</th><th style="width:15%">状态 Status</th><th style="width:10%" class="n">措施 Actions done</th><th style="width:20%">有效性 Effectiveness</th></tr></thead><tbody>
${items.length === 0 ? html`<tr><td colspan="6">—</td></tr>` : ''}${items.map((item) => {
  const done = item.actions.filter((planned) => planned.doneAt).length;
  const verdict = item.verification
    ? item.verification.verdict === 'effective'
      ? '有效 Effective'
      : '无效 Not effective'
    : `待验证 To check by ${item.effectiveness.dueDate}`;
  return html`<tr><td>${item.reference}</td><td>${both(capaTypeLabels[item.type])}<br><span class="meta">${both(capaSourceLabels[item.source])}</span></td><td>${item.problem}${item.complaints.length ? html`<br><span class="meta">${item.complaints.join(', ')}</span>` : ''}</td><td>${both(capaStatusLabels[item.status])}${item.closedAt ? html`<br>${chinaDate(item.closedAt)}` : ''}</td><td class="n">${done}/${item.actions.length}</td><td>${verdict}${item.notEffectiveCount ? html`<br>曾判无效 ${item.notEffectiveCount} 次 / found not effective ${item.notEffectiveCount}×` : ''}</td></tr>`;
})}
</tbody></table>`;
}

function capaSection(pack: ReviewPack): SafeHtml {
  const firstTime = pack.closedCapa.filter((item) => item.notEffectiveCount === 0).length;
  return html`<section class="page" aria-labelledby="capa">
<h2 id="capa">3. 纠正预防措施 Corrective and preventive actions</h2>
<p>期末未关闭 Open at the period's end: ${pack.openCapa.length}；本期关闭 Closed in the period: ${pack.closedCapa.length}${pack.closedCapa.length ? `（一次验证有效 effective at the first check: ${firstTime}/${pack.closedCapa.length}）` : ''}.</p>
<h3>未关闭 Open</h3>
${capaRows(pack.openCapa)}
<h3>本期关闭 Closed in the period</h3>
${capaRows(pack.closedCapa)}
</section>`;
}

function surveySection(survey: SurveyTally | undefined): SafeHtml {
  if (!survey) {
    return html`<section class="page" aria-labelledby="survey"><h2 id="survey">4. ${both(surveyTitle)}</h2><p>尚无调查结果。No survey has been run yet.</p></section>`;
  }
  const previous = survey.change?.previous;
  return html`<section class="page" aria-labelledby="survey">
<h2 id="survey">4. ${survey.year} ${both(surveyTitle)}</h2>
<table><thead><tr><th style="width:40%">指标 Figure</th><th>${survey.year}</th><th>${previous ? previous.year : '上年 Last year'}</th></tr></thead><tbody>
<tr><td>答复 Responses / 邀请 invited</td><td>${survey.responses} / ${survey.invited ?? '—'} (${formatShare(survey.responseRate)})</td><td>${previous ? `${previous.responses} / ${previous.invited ?? '—'} (${formatShare(previous.responseRate)})` : '—'}</td></tr>
<tr><td>满意度指数 Satisfaction index (0–100)</td><td>${formatIndex(survey.satisfactionIndex)}</td><td>${previous ? formatIndex(previous.satisfactionIndex) : '—'}</td></tr>
<tr><td>净推荐值 NPS</td><td>${formatNps(survey.nps.score)}</td><td>${previous ? formatNps(previous.npsScore) : '—'}</td></tr>
${ratingDimensions.map((dimension) => html`<tr><td>${both(dimensionLabels[dimension])}（均分 mean of 5）</td><td>${formatMean(survey.dimensions[dimension].mean)} · ${formatShare(survey.dimensions[dimension].satisfiedShare)} 4–5</td><td>${previous ? formatMean(previous.means[dimension]) : '—'}</td></tr>`)}
</tbody></table>
${meansChart(survey)}
</section>`;
}

function suggestionsSection(pack: ReviewPack): SafeHtml {
  const survey = pack.survey?.suggestions ?? [];
  return html`<section class="page" aria-labelledby="suggestions">
<h2 id="suggestions">5. 收到的建议 Suggestions received</h2>
<h3>客户建议（本期）Customers' suggestions in the period</h3>
<table><thead><tr><th style="width:18%">编号 Reference</th><th style="width:13%">收到 Received</th><th style="width:25%">客户 Customer</th><th>主题 Subject</th></tr></thead><tbody>
${pack.register.suggestions.length === 0 ? html`<tr><td colspan="4">—</td></tr>` : ''}${pack.register.suggestions.map((row) => html`<tr><td>${row.reference}</td><td>${chinaDate(row.receivedAt)}</td><td>${row.company ?? row.customerName}</td><td>${row.subject}</td></tr>`)}
</tbody></table>
<h3>${pack.survey ? `${pack.survey.year} ` : ''}满意度调查中的建议 Suggestions in the survey</h3>
<table><thead><tr><th style="width:30%">客户 Customer</th><th style="width:14%">地区 Region</th><th>建议 Suggestion</th></tr></thead><tbody>
${survey.length === 0 ? html`<tr><td colspan="3">—</td></tr>` : ''}${survey.map((entry) => html`<tr><td>${entry.company ?? entry.name ?? ''}</td><td>${both(regionName(entry.region))}</td><td>${entry.text}</td></tr>`)}
</tbody></table>
<h3>统计提出的纠正预防建议 CAPA proposed by the statistics</h3>
<table><thead><tr><th style="width:22%">类别 Category</th><th style="width:16%">型号 Model</th><th>投诉 Complaints</th><th style="width:22%">期间 Between</th></tr></thead><tbody>
${pack.statistics.suggestions.length === 0 ? html`<tr><td colspan="4">—</td></tr>` : ''}${pack.statistics.suggestions.map((suggestion) => html`<tr><td>${categoryName(suggestion.category)}</td><td>${suggestion.productModel}</td><td>${suggestion.count} 件 complaints${suggestion.count > suggestion.references.length ? `（最近 latest ${suggestion.references.length}）` : ''}: ${suggestion.references.join(', ')}</td><td>${chinaDate(suggestion.firstReceivedAt)} – ${chinaDate(suggestion.lastReceivedAt)}</td></tr>`)}
</tbody></table>
</section>`;
}

export const reviewTitle = '管理评审资料 Management review pack';

/** The whole document; `toolbar` (the console's period form and links) is hidden in print. */
export function reviewPackPage(
  pack: ReviewPack,
  options: { generatedAt: Date; company: string; toolbar?: SafeHtml },
): SafeHtml {
  return html`<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${reviewTitle} ${pack.from} – ${pack.to} · ${options.company}</title>${styles}</head>
<body><main>
${options.toolbar ?? ''}
<h1>${options.company} ${reviewTitle}</h1>
<p class="meta">期间 Period: ${pack.from} – ${pack.to} · 生成于 Generated ${formatChinaTime(options.generatedAt.toISOString())}</p>
${statisticsSection(pack)}
${registerSection(pack)}
${capaSection(pack)}
${surveySection(pack.survey)}
${suggestionsSection(pack)}
</main></body>
</html>`;
}
