/**
 * The yearly survey report for the leadership, the departments and the management review
 * (管理评审): a CSV for Excel, a standalone bilingual HTML page with inline SVG charts, and a
 * short email summary. Pure: the tally and the time of writing come in, text goes out. Every
 * value in HTML goes through `html`; every text cell in the CSV is quoted as RFC 4180 asks
 * and kept from being read as a spreadsheet formula.
 */
import type { Market } from '#functions/domain/complaint.ts';
import { markets } from '#functions/domain/complaint.ts';
import { complaintGroupLabels, complaintGroups } from '#functions/domain/customer-history.ts';
import { type Bilingual, marketLabels } from '#functions/domain/labels.ts';
import { provinceByCode } from '#functions/domain/regions.ts';
import {
  dimensionLabels,
  type RatingDimension,
  ratingDimensions,
  ratingLabels,
  ratings,
  recommendGroup,
  recommendGroupLabels,
  recommendScores,
  surveyTitle,
} from '#functions/domain/survey.ts';
import { surveyChannelLabels, surveyChannels } from '#functions/domain/survey-channels.ts';
import type {
  GroupTally,
  SurveyTally,
  TallyHeadline,
  YearOverYear,
} from '#functions/domain/survey-statistics.ts';
import { html, SafeHtml } from '#functions/shared/html.ts';

// ---------------------------------------------------------------------------------------------
// Words and numbers

const both = (label: Bilingual) => `${label.zh} ${label.en}`;

// Made on first use: building them costs a cold start some 13 ms (npm run bench).
let regionNames: { zh: Intl.DisplayNames; en: Intl.DisplayNames } | undefined;
const countryNames = () =>
  (regionNames ??= {
    zh: new Intl.DisplayNames(['zh'], { type: 'region' }),
    en: new Intl.DisplayNames(['en'], { type: 'region' }),
  });

/** `CN-GD` → 广东 / Guangdong; `DE` → 德国 / Germany; anything else as given. */
export function regionName(code: string): Bilingual {
  const province = provinceByCode(code);
  if (province) return { zh: province.zh, en: province.en };
  if (/^[A-Z]{2}$/.test(code)) {
    try {
      const names = countryNames();
      return { zh: names.zh.of(code) ?? code, en: names.en.of(code) ?? code };
    } catch {
      // Not a region Intl knows: fall through.
    }
  }
  return { zh: code, en: code };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

const dash = '—';

/** 4.2 → `4.20` */
export function formatMean(value: number | null): string {
  return value === null ? dash : round(value, 2).toFixed(2);
}

/** 0.62 → `62.0%` */
export function formatShare(value: number | null): string {
  return value === null ? dash : `${round(value * 100, 1).toFixed(1)}%`;
}

/** 78.46 → `78.5` */
export function formatIndex(value: number | null): string {
  return value === null ? dash : round(value, 1).toFixed(1);
}

/** 33.33 → `+33.3`; NPS is shown with its sign. */
export function formatNps(value: number | null): string {
  return value === null ? dash : signed(round(value, 1), 1);
}

function signed(value: number, digits: number): string {
  const text = Math.abs(value).toFixed(digits);
  if (value > 0) return `+${text}`;
  if (value < 0) return `−${text}`;
  return `±${text}`;
}

/** A change, with its unit: `+0.25`, `−3.0 pp`, `+2.1`. */
export function formatChange(value: number | null, kind: 'mean' | 'share' | 'points'): string {
  if (value === null) return dash;
  if (kind === 'mean') return signed(round(value, 2), 2);
  if (kind === 'share') return `${signed(round(value * 100, 1), 1)} pp`;
  return signed(round(value, 1), 1);
}

function formatDate(at: Date): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(at);
}

// ---------------------------------------------------------------------------------------------
// CSV

type Cell = string | number | null;

// Cells a spreadsheet would run as a formula (OWASP "CSV injection") get a leading apostrophe.
const formulaStart = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = formulaStart.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvRows(rows: readonly (readonly Cell[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n');
}

const maybe = (value: number | null, digits: number): number | null =>
  value === null ? null : round(value, digits);
const percent = (value: number | null): number | null =>
  value === null ? null : round(value * 100, 1);

function headlineRows(tally: SurveyTally): Cell[][] {
  const previous = tally.change?.previous;
  const change = tally.change;
  const rows: Cell[][] = [
    [
      '指标 Measure',
      `${tally.year} 本年 This year`,
      previous ? `${previous.year} 上年 Last year` : '上年 Last year',
      '变化 Change',
    ],
    ['邀请客户数 Customers invited', tally.invited, previous?.invited ?? null, null],
    ['回复数 Responses', tally.responses, previous?.responses ?? null, null],
    [
      '回复率 Response rate (%)',
      percent(tally.responseRate),
      percent(previous?.responseRate ?? null),
      percent(change?.responseRate ?? null),
    ],
    [
      '满意度指数 Satisfaction index (0–100)',
      maybe(tally.satisfactionIndex, 1),
      maybe(previous?.satisfactionIndex ?? null, 1),
      maybe(change?.satisfactionIndex ?? null, 1),
    ],
    [
      'NPS 净推荐值 (−100–100)',
      maybe(tally.nps.score, 1),
      maybe(previous?.npsScore ?? null, 1),
      maybe(change?.npsScore ?? null, 1),
    ],
  ];
  for (const dimension of ratingDimensions) {
    rows.push([
      `${both(dimensionLabels[dimension])} 平均分 mean (1–5)`,
      maybe(tally.dimensions[dimension].mean, 2),
      maybe(previous?.means[dimension] ?? null, 2),
      maybe(change?.means[dimension] ?? null, 2),
    ]);
  }
  return rows;
}

function groupRow(scope: string, code: string, name: string, group: GroupTally): Cell[] {
  return [
    scope,
    code,
    name,
    group.invited,
    group.responses,
    percent(group.responseRate),
    maybe(group.satisfactionIndex, 1),
    maybe(group.nps.score, 1),
    ...ratingDimensions.map((d) => maybe(group.dimensions[d].mean, 2)),
  ];
}

/** The report as CSV: UTF-8 with a BOM (so Excel reads Chinese), CRLF, one section per table. */
export function surveyReportCsv(tally: SurveyTally, options: { generatedAt: Date }): string {
  const sections: Cell[][][] = [
    [
      [`${surveyTitle.zh} ${surveyTitle.en}`, tally.year],
      ['生成时间 Generated (Asia/Shanghai)', formatDate(options.generatedAt)],
    ],
    headlineRows(tally),
    [
      [
        '分组 Group',
        '代码 Code',
        '名称 Name',
        '邀请 Invited',
        '回复 Responses',
        '回复率 Response rate (%)',
        '满意度指数 Satisfaction index',
        'NPS',
        ...ratingDimensions.map((d) => `${both(dimensionLabels[d])} (1–5)`),
      ],
      groupRow('全部 All', '', '', tally),
      ...markets.map((market) =>
        groupRow('市场 Market', market, both(marketLabels[market]), tally.byMarket[market]),
      ),
      ...surveyChannels.map((channel) =>
        groupRow(
          '渠道 Channel',
          channel,
          both(surveyChannelLabels[channel]),
          tally.byChannel[channel],
        ),
      ),
      ...complaintGroups.map((group) =>
        groupRow(
          '投诉 Complaint',
          group,
          both(complaintGroupLabels[group]),
          tally.byComplaint[group],
        ),
      ),
      ...tally.byRegion.map((region) =>
        groupRow(
          '地区 Region',
          region.region,
          both(regionName(region.region)),
          region satisfies GroupTally,
        ),
      ),
    ],
    [
      [
        '评分分布 Ratings',
        ...ratings.map((rating) => `${rating} ${both(ratingLabels[rating])}`),
        '回复 Answers',
        '平均分 Mean',
        '满意率 Satisfied, 4–5 (%)',
      ],
      ...ratingDimensions.map((d): Cell[] => {
        const dimension = tally.dimensions[d];
        return [
          both(dimensionLabels[d]),
          ...dimension.distribution,
          dimension.count,
          maybe(dimension.mean, 2),
          percent(dimension.satisfiedShare),
        ];
      }),
    ],
    [
      [
        '推荐意愿 Likelihood to recommend',
        ...recommendScores.map(String),
        '推荐者 Promoters',
        '被动者 Passives',
        '贬损者 Detractors',
        'NPS',
      ],
      [
        '回复数 Answers',
        ...tally.nps.distribution,
        tally.nps.promoters,
        tally.nps.passives,
        tally.nps.detractors,
        maybe(tally.nps.score, 1),
      ],
    ],
    [
      [
        '建议 Suggestions: 日期 Date',
        '单位 Company',
        '联系人 Name',
        '邮箱 Email',
        '市场 Market',
        '地区 Region',
        '总体满意度 Overall (1–5)',
        '意见和建议 Suggestion',
      ],
      ...tally.suggestions.map((s): Cell[] => [
        s.answeredAt.slice(0, 10),
        s.company ?? '',
        s.name ?? '',
        s.email,
        both(marketLabels[s.market]),
        `${s.region} ${both(regionName(s.region))}`,
        s.overall,
        s.text,
      ]),
    ],
  ];
  return `\uFEFF${sections.map(csvRows).join('\r\n\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------------------------
// SVG charts

const ratingColours: Record<number, string> = {
  1: '#c0392b',
  2: '#e67e22',
  3: '#e0b400',
  4: '#7fb77e',
  5: '#2e7d4f',
};
const groupColours = { detractor: '#c0392b', passive: '#9e9e9e', promoter: '#2e7d4f' } as const;

const labelWidth = 200;
const plotWidth = 400;
const rowHeight = 36;

function dimensionLabel(dimension: RatingDimension, y: number): SafeHtml {
  const label = dimensionLabels[dimension];
  return html`<text x="${labelWidth - 10}" y="${y + 15}" text-anchor="end" font-size="13">${label.zh}</text>
<text x="${labelWidth - 10}" y="${y + 29}" text-anchor="end" font-size="11" fill="#5b6270">${label.en}</text>`;
}

/** Horizontal bars of the mean rating per dimension on a 0–5 axis; last year as a tick. */
export function meansChart(tally: SurveyTally): SafeHtml {
  const scale = plotWidth / 5;
  const height = ratingDimensions.length * rowHeight + 30;
  const width = labelWidth + plotWidth + 70;
  const previous = tally.change?.previous;
  const gridLines = [0, 1, 2, 3, 4, 5].map(
    (tick) =>
      html`<line x1="${labelWidth + tick * scale}" y1="0" x2="${labelWidth + tick * scale}" y2="${height - 24}" stroke="#e3e6eb"/>
<text x="${labelWidth + tick * scale}" y="${height - 8}" text-anchor="middle" font-size="11" fill="#5b6270">${tick}</text>`,
  );
  const bars = ratingDimensions.map((dimension, row) => {
    const y = row * rowHeight;
    const mean = tally.dimensions[dimension].mean;
    const last = previous?.means[dimension] ?? null;
    const barWidth = mean === null ? 0 : round(mean * scale, 1);
    return html`<g>${dimensionLabel(dimension, y)}
<rect x="${labelWidth}" y="${y + 6}" width="${barWidth}" height="${rowHeight - 12}" fill="#1b5fae"><title>${both(dimensionLabels[dimension])}: ${formatMean(mean)}</title></rect>
<text x="${labelWidth + Math.max(barWidth, last === null ? 0 : round(last * scale, 1)) + 6}" y="${y + 23}" font-size="13" font-weight="600">${formatMean(mean)}</text>
${last === null ? '' : html`<line x1="${labelWidth + round(last * scale, 1)}" y1="${y + 3}" x2="${labelWidth + round(last * scale, 1)}" y2="${y + rowHeight - 3}" stroke="#1d2330" stroke-width="2" stroke-dasharray="3 2"><title>${previous?.year} ${formatMean(last)}</title></line>`}</g>`;
  });
  return svg(
    'chart-means',
    width,
    height,
    '各项平均分 Mean rating per dimension (1–5)',
    html`${gridLines}${bars}`,
  );
}

/** 100% stacked bars: how many answered 1…5 per dimension. */
export function distributionChart(tally: SurveyTally): SafeHtml {
  const legendHeight = 30;
  const height = ratingDimensions.length * rowHeight + legendHeight;
  const width = labelWidth + plotWidth + 20;
  const rows = ratingDimensions.map((dimension, row) => {
    const y = row * rowHeight;
    const { distribution, count } = tally.dimensions[dimension];
    let x = labelWidth;
    const segments = distribution.map((n, index) => {
      if (count === 0 || n === 0) return '';
      const segmentWidth = round((n / count) * plotWidth, 1);
      const rating = index + 1;
      const segment = html`<rect x="${x}" y="${y + 6}" width="${segmentWidth}" height="${rowHeight - 12}" fill="${ratingColours[rating]}"><title>${rating}: ${n}</title></rect>${
        segmentWidth >= 18
          ? html`<text x="${x + segmentWidth / 2}" y="${y + 23}" text-anchor="middle" font-size="12" fill="#fff">${n}</text>`
          : ''
      }`;
      x += segmentWidth;
      return segment;
    });
    return html`<g>${dimensionLabel(dimension, y)}${
      count === 0
        ? html`<rect x="${labelWidth}" y="${y + 6}" width="${plotWidth}" height="${rowHeight - 12}" fill="#f0f1f4"/>`
        : segments
    }</g>`;
  });
  const legendY = ratingDimensions.length * rowHeight + 8;
  const legend = ratings.map(
    (rating, index) =>
      html`<rect x="${labelWidth + index * 80}" y="${legendY}" width="12" height="12" fill="${ratingColours[rating]}"/>
<text x="${labelWidth + index * 80 + 16}" y="${legendY + 11}" font-size="11">${rating} ${ratingLabels[rating].zh}</text>`,
  );
  return svg(
    'chart-distribution',
    width,
    height,
    '评分分布 Distribution of ratings (1 = very dissatisfied … 5 = very satisfied)',
    html`${rows}${legend}`,
  );
}

/** NPS: the three groups as one bar, and the answers 0–10 as columns coloured by group. */
export function npsChart(tally: SurveyTally): SafeHtml {
  const { nps } = tally;
  const width = 600;
  const barWidth = 560;
  const groups = [
    ['detractor', nps.detractors],
    ['passive', nps.passives],
    ['promoter', nps.promoters],
  ] as const;
  let x = 20;
  const bar = groups.map(([group, n]) => {
    if (nps.count === 0 || n === 0) return '';
    const segmentWidth = round((n / nps.count) * barWidth, 1);
    const share = formatShare(n / nps.count);
    const segment = html`<rect x="${x}" y="40" width="${segmentWidth}" height="28" fill="${groupColours[group]}"><title>${both(recommendGroupLabels[group])}: ${n} (${share})</title></rect>${
      segmentWidth >= 44
        ? html`<text x="${x + segmentWidth / 2}" y="59" text-anchor="middle" font-size="12" fill="#fff">${share}</text>`
        : ''
    }`;
    x += segmentWidth;
    return segment;
  });
  const legend = groups.map(
    ([group], index) =>
      html`<rect x="${20 + index * 190}" y="76" width="12" height="12" fill="${groupColours[group]}"/>
<text x="${20 + index * 190 + 16}" y="87" font-size="11">${both(recommendGroupLabels[group])}</text>`,
  );
  const most = Math.max(1, ...nps.distribution);
  const columnWidth = barWidth / recommendScores.length;
  const columnTop = 110;
  const columnHeight = 110;
  const columns = recommendScores.map((score) => {
    const n = nps.distribution[score] ?? 0;
    const h = round((n / most) * columnHeight, 1);
    const cx = 20 + score * columnWidth;
    return html`<rect x="${cx + 4}" y="${columnTop + columnHeight - h}" width="${round(columnWidth - 8, 1)}" height="${h}" fill="${groupColours[recommendGroup(score)]}"><title>${score}: ${n}</title></rect>
<text x="${cx + columnWidth / 2}" y="${columnTop + columnHeight - h - 4}" text-anchor="middle" font-size="11">${n}</text>
<text x="${cx + columnWidth / 2}" y="${columnTop + columnHeight + 14}" text-anchor="middle" font-size="11" fill="#5b6270">${score}</text>`;
  });
  return svg(
    'chart-nps',
    width,
    columnTop + columnHeight + 22,
    '净推荐值 Net Promoter Score',
    html`<text x="20" y="26" font-size="20" font-weight="700">NPS ${formatNps(nps.score)}</text>
<text x="150" y="26" font-size="12" fill="#5b6270">${nps.count} 份回答 answers</text>
${nps.count === 0 ? html`<rect x="20" y="40" width="${barWidth}" height="28" fill="#f0f1f4"/>` : bar}${legend}${columns}`,
  );
}

function svg(id: string, width: number, height: number, title: string, body: SafeHtml): SafeHtml {
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}" font-family="system-ui,'PingFang SC','Microsoft YaHei',sans-serif"><title id="${id}">${title}</title>${body}</svg>`;
}

// ---------------------------------------------------------------------------------------------
// HTML page

const styles = new SafeHtml(`
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2330;line-height:1.5}
h1{font-size:1.6rem;margin-bottom:.25rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #c8ccd4;padding-bottom:.25rem}
.meta{color:#5b6270}.cards{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}
.card{border:1px solid #c8ccd4;border-radius:6px;padding:.6rem 1rem;min-width:10rem}.card .value{font-size:1.6rem;font-weight:700}
.card .label,.card .change{font-size:.85rem;color:#5b6270}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}th,td{border:1px solid #d5d9e0;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f5f8}svg{max-width:100%;height:auto;display:block;margin:.5rem 0}
.suggestion{white-space:pre-wrap}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}
caption{text-align:left;font-weight:600;padding:.25rem 0}th,td{overflow-wrap:anywhere}tbody th{font-weight:500;background:none}
@media (max-width:40rem){body{margin:1rem auto;padding:0 .5rem}table{font-size:.72rem}th,td{padding:.2rem .25rem}dl{grid-template-columns:1fr}.card{min-width:0;flex:1 1 9rem}}
@page{size:A4;margin:12mm}
@media print{body{margin:0;max-width:none;font-size:10pt}table{font-size:8.5pt}h2{break-after:avoid}svg,table{break-inside:avoid}tr{break-inside:avoid}}
`);

function card(label: Bilingual, value: string, change?: string): SafeHtml {
  return html`<div class="card"><div class="label">${label.zh} ${label.en}</div><div class="value">${value}</div>${
    change ? html`<div class="change">${change}</div>` : ''
  }</div>`;
}

function changeNote(change: YearOverYear | null, value: string): string | undefined {
  return change
    ? `与 ${change.previous.year} 年相比 vs ${change.previous.year}: ${value}`
    : undefined;
}

/**
 * Two tables of seven columns rather than one of thirteen: each fits an A4 page and a phone's
 * 390 px without clipping a column.
 */
function groupTables(tally: SurveyTally): SafeHtml {
  const groups: [string, GroupTally][] = [
    ['全部 All', tally],
    ...markets.map((market: Market): [string, GroupTally] => [
      both(marketLabels[market]),
      tally.byMarket[market],
    ]),
    // Every channel in one tally above; here each one's own rate and index.
    ...surveyChannels
      .filter((channel) => tally.byChannel[channel].invited || tally.byChannel[channel].responses)
      .map((channel): [string, GroupTally] => [
        `渠道 ${both(surveyChannelLabels[channel])}`,
        tally.byChannel[channel],
      ]),
    // Does complaint handling keep customers? Those who complained, by how it ended, and the rest.
    ...complaintGroups
      .filter((group) => tally.byComplaint[group].responses > 0)
      .map((group): [string, GroupTally] => [
        both(complaintGroupLabels[group]),
        tally.byComplaint[group],
      ]),
    ...tally.byRegion.map((region): [string, GroupTally] => [
      `${region.region} ${both(regionName(region.region))}`,
      region,
    ]),
  ];
  const silent = tally.byRegion.filter((region) => region.responses === 0 && region.invited);
  return html`<table>
<caption>回复与总体指标 Answers and overall figures</caption>
<thead><tr><th scope="col">分组 Group</th><th scope="col">邀请 Invited</th><th scope="col">回复 Answers</th><th scope="col">回复率 Rate</th><th scope="col">指数 Index</th><th scope="col">NPS</th></tr></thead>
<tbody>${groups.map(
    ([name, group]) =>
      html`<tr><th scope="row">${name}</th><td class="n">${group.invited ?? dash}</td><td class="n">${group.responses}</td><td class="n">${formatShare(group.responseRate)}</td><td class="n">${formatIndex(group.satisfactionIndex)}</td><td class="n">${formatNps(group.nps.score)}</td></tr>`,
  )}</tbody></table>
${silent.length > 0 ? html`<p>已邀请但无回复的地区 Regions invited with no answers: ${silent.map((region, index) => html`${index > 0 ? '、' : ''}<strong>${region.region} ${both(regionName(region.region))}</strong> (${region.invited})`)}</p>` : ''}
<table>
<caption>各项平均分 Mean ratings (1–5)</caption>
<thead><tr><th scope="col">分组 Group</th>${ratingDimensions.map(
    (d) => html`<th scope="col">${dimensionLabels[d].zh}<br>${dimensionLabels[d].en}</th>`,
  )}</tr></thead>
<tbody>${groups.map(
    ([name, group]) =>
      html`<tr><th scope="row">${name}</th>${ratingDimensions.map(
        (d) => html`<td class="n">${formatMean(group.dimensions[d].mean)}</td>`,
      )}</tr>`,
  )}</tbody></table>`;
}

function headlineTable(tally: SurveyTally): SafeHtml {
  const change = tally.change;
  const previous: TallyHeadline | undefined = change?.previous;
  const row = (label: string, now: string, before: string, delta: string) =>
    html`<tr><th scope="row">${label}</th><td class="n">${now}</td>${previous ? html`<td class="n">${before}</td><td class="n">${delta}</td>` : ''}</tr>`;
  return html`<table>
<thead><tr><th>指标 Measure</th><th>${tally.year}</th>${previous ? html`<th>${previous.year}</th><th>变化 Change</th>` : ''}</tr></thead>
<tbody>
${row('回复率 Response rate', formatShare(tally.responseRate), formatShare(previous?.responseRate ?? null), formatChange(change?.responseRate ?? null, 'share'))}
${row('满意度指数 Satisfaction index', formatIndex(tally.satisfactionIndex), formatIndex(previous?.satisfactionIndex ?? null), formatChange(change?.satisfactionIndex ?? null, 'points'))}
${row('NPS 净推荐值', formatNps(tally.nps.score), formatNps(previous?.npsScore ?? null), formatChange(change?.npsScore ?? null, 'points'))}
${ratingDimensions.map((d) =>
  row(
    both(dimensionLabels[d]),
    formatMean(tally.dimensions[d].mean),
    formatMean(previous?.means[d] ?? null),
    formatChange(change?.means[d] ?? null, 'mean'),
  ),
)}
</tbody></table>`;
}

function distributionTable(tally: SurveyTally): SafeHtml {
  return html`<table>
<thead><tr><th>维度 Dimension</th>${ratings.map((r) => html`<th>${r} ${ratingLabels[r].zh}<br>${ratingLabels[r].en}</th>`)}<th>回答 Answers</th><th>平均 Mean</th><th>满意率 Satisfied (4–5)</th></tr></thead>
<tbody>${ratingDimensions.map((d) => {
    const dimension = tally.dimensions[d];
    return html`<tr><th scope="row">${both(dimensionLabels[d])}</th>${dimension.distribution.map((n) => html`<td class="n">${n}</td>`)}<td class="n">${dimension.count}</td><td class="n">${formatMean(dimension.mean)}</td><td class="n">${formatShare(dimension.satisfiedShare)}</td></tr>`;
  })}</tbody></table>`;
}

function suggestionsTable(tally: SurveyTally): SafeHtml {
  if (tally.suggestions.length === 0) {
    return html`<p>本年无书面建议。No written suggestions this year.</p>`;
  }
  return html`<table>
<thead><tr><th>日期 Date</th><th>客户 Customer</th><th>地区 Region</th><th>总体 Overall</th><th>意见和建议 Suggestion</th></tr></thead>
<tbody>${tally.suggestions.map(
    (s) =>
      html`<tr><td>${s.answeredAt.slice(0, 10)}</td><td>${s.company ?? ''}${s.company && s.name ? html`<br>` : ''}${s.name ?? ''}<br><a href="mailto:${s.email}">${s.email}</a></td><td>${marketLabels[s.market].zh} ${regionName(s.region).zh}<br>${regionName(s.region).en}</td><td class="n">${s.overall}</td><td class="suggestion">${s.text}</td></tr>`,
  )}</tbody></table>`;
}

/** The standalone report page (no external resources), for the management review. */
export function surveyReportPage(tally: SurveyTally, options: { generatedAt: Date }): SafeHtml {
  const change = tally.change;
  const title = `${tally.year} ${surveyTitle.zh}统计 · Customer satisfaction survey ${tally.year}`;
  return html`<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>${styles}</style></head>
<body>
<h1>${title}</h1>
<p class="meta">供管理评审 For the management review · 生成于 Generated ${formatDate(options.generatedAt)} (Asia/Shanghai)</p>
<div class="cards">
${card({ zh: '回复率', en: 'Response rate' }, formatShare(tally.responseRate), `${tally.responses} / ${tally.invited ?? dash}${change ? ` · vs ${change.previous.year}: ${formatChange(change.responseRate, 'share')}` : ''}`)}
${card({ zh: '满意度指数', en: 'Satisfaction index' }, formatIndex(tally.satisfactionIndex), changeNote(change, formatChange(change?.satisfactionIndex ?? null, 'points')))}
${card({ zh: '净推荐值', en: 'NPS' }, formatNps(tally.nps.score), changeNote(change, formatChange(change?.npsScore ?? null, 'points')))}
${card({ zh: '书面建议', en: 'Suggestions' }, String(tally.suggestions.length))}
</div>
<h2>总体指标 Headline figures</h2>
${headlineTable(tally)}
<h2>各项平均分 Mean ratings</h2>
${meansChart(tally)}
${change ? html`<p class="meta">虚线为 ${change.previous.year} 年平均分。The dashed tick marks ${change.previous.year}.</p>` : ''}
<h2>评分分布 Distribution of ratings</h2>
${distributionChart(tally)}
${distributionTable(tally)}
<h2>推荐意愿 Likelihood to recommend</h2>
${npsChart(tally)}
<h2>按市场和地区 By market and region</h2>
${groupTables(tally)}
<h2>用户意见和建议 Customers' suggestions</h2>
${suggestionsTable(tally)}
<h2>计算方法 How the figures are computed</h2>
<dl>
<dt>回复率 Response rate</dt><dd>回复数 ÷ 邀请客户数。Answers ÷ customers invited.</dd>
<dt>平均分 Mean</dt><dd>1 = 很不满意 very dissatisfied … 5 = 很满意 very satisfied。满意率为 4–5 分所占比例。Satisfied share: answers of 4 or 5.</dd>
<dt>满意度指数 Satisfaction index</dt><dd>六项平均分的平均值换算为 0–100：(平均分 − 1) ÷ 4 × 100。The mean of the six dimension means on a 0–100 scale: (mean − 1) ÷ 4 × 100.</dd>
<dt>净推荐值 NPS</dt><dd>推荐者（9–10 分）比例减去贬损者（0–6 分）比例，范围 −100 至 100。% promoters (9–10) − % detractors (0–6), from −100 to 100.</dd>
<dt>统计口径 Counting</dt><dd>每位客户（按邮箱）每年只计一份答卷。One answer per customer (by email) and year.</dd>
</dl>
</body>
</html>`;
}

// ---------------------------------------------------------------------------------------------
// Email summary

export interface SurveyReportEmail {
  subject: string;
  text: string;
  html: string;
}

export interface SurveyReportEmailOptions {
  generatedAt: Date;
  /** Where the HTML report and the CSV can be read, when they are published somewhere. */
  reportUrl?: string;
  csvUrl?: string;
}

function versus(change: YearOverYear | null, value: string): string {
  return change ? ` (${value} vs ${change.previous.year})` : '';
}

/** The short summary that goes to gm and every department when the campaign closes. */
export function surveyReportEmail(
  tally: SurveyTally,
  options: SurveyReportEmailOptions,
): SurveyReportEmail {
  const change = tally.change;
  const subject = `${tally.year} 年${surveyTitle.zh}统计结果 · Customer satisfaction survey ${tally.year}: results`;
  const ranked = ratingDimensions
    .filter((d) => tally.dimensions[d].mean !== null)
    .sort((a, b) => (tally.dimensions[a].mean ?? 0) - (tally.dimensions[b].mean ?? 0));
  // Every dimension whose shown mean equals the lowest: a tie is named, not settled by order.
  const lowestMean = ranked[0] ? formatMean(tally.dimensions[ranked[0]].mean) : undefined;
  const lowest = ranked.filter((d) => formatMean(tally.dimensions[d].mean) === lowestMean);

  const lines = [
    subject,
    '',
    `回复 Responses: ${tally.responses} / ${tally.invited ?? dash} (${formatShare(tally.responseRate)})${versus(change, formatChange(change?.responseRate ?? null, 'share'))}`,
    `满意度指数 Satisfaction index (0–100): ${formatIndex(tally.satisfactionIndex)}${versus(change, formatChange(change?.satisfactionIndex ?? null, 'points'))}`,
    `净推荐值 NPS: ${formatNps(tally.nps.score)}${versus(change, formatChange(change?.npsScore ?? null, 'points'))}`,
    '',
    '各项平均分 Mean ratings (1–5):',
    ...ratingDimensions.map(
      (d) =>
        `  ${both(dimensionLabels[d])}: ${formatMean(tally.dimensions[d].mean)}${versus(change, formatChange(change?.means[d] ?? null, 'mean'))}`,
    ),
    '',
    ...markets.map((market) => {
      const group = tally.byMarket[market];
      return `${both(marketLabels[market])}: ${group.responses} 份 answers, 指数 index ${formatIndex(group.satisfactionIndex)}, NPS ${formatNps(group.nps.score)}`;
    }),
    ...surveyChannels
      .filter((channel) => tally.byChannel[channel].responses > 0)
      .map((channel) => {
        const group = tally.byChannel[channel];
        return `${both(surveyChannelLabels[channel])}: ${group.responses} 份 answers (${formatShare(group.responseRate)}), 指数 index ${formatIndex(group.satisfactionIndex)}`;
      }),
    ...complaintGroups
      .filter((group) => tally.byComplaint[group].responses > 0)
      .map((group) => {
        const tallied = tally.byComplaint[group];
        return `${both(complaintGroupLabels[group])}: ${tallied.responses} 份 answers, 指数 index ${formatIndex(tallied.satisfactionIndex)}`;
      }),
    ...(lowest.length > 0
      ? [
          '',
          `评分最低${lowest.length > 1 ? `（${lowest.length} 项并列）` : ''} Lowest rated${lowest.length > 1 ? ` (${lowest.length}-way tie)` : ''}: ${lowest.map((d) => `${both(dimensionLabels[d])} ${formatMean(tally.dimensions[d].mean)}`).join('; ')}`,
        ]
      : []),
    `书面建议 Written suggestions: ${tally.suggestions.length}（详见报告 listed in the report）`,
    '',
    ...(options.reportUrl ? [`报告 Report: ${options.reportUrl}`] : []),
    ...(options.csvUrl ? [`CSV: ${options.csvUrl}`] : []),
    '请各部门研究用户建议，制定进一步增强用户满意的措施，报总经理批准后实施；结果提交管理评审。',
    "Departments: please study the customers' suggestions and propose measures for the General Manager's approval; the results go to the management review.",
    '',
    `生成于 Generated ${formatDate(options.generatedAt)} (Asia/Shanghai)`,
  ];

  const body = html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;color:#1d2330;line-height:1.5">
<h1 style="font-size:1.3rem">${subject}</h1>
<table style="border-collapse:collapse" cellpadding="4">
<tr><th align="left">回复 Responses</th><td>${tally.responses} / ${tally.invited ?? dash} (${formatShare(tally.responseRate)})${versus(change, formatChange(change?.responseRate ?? null, 'share'))}</td></tr>
<tr><th align="left">满意度指数 Satisfaction index</th><td>${formatIndex(tally.satisfactionIndex)}${versus(change, formatChange(change?.satisfactionIndex ?? null, 'points'))}</td></tr>
<tr><th align="left">净推荐值 NPS</th><td>${formatNps(tally.nps.score)}${versus(change, formatChange(change?.npsScore ?? null, 'points'))}</td></tr>
${ratingDimensions.map(
  (d) =>
    html`<tr><th align="left">${both(dimensionLabels[d])}</th><td>${formatMean(tally.dimensions[d].mean)}${versus(change, formatChange(change?.means[d] ?? null, 'mean'))}</td></tr>`,
)}
${markets.map((market) => {
  const group = tally.byMarket[market];
  return html`<tr><th align="left">${both(marketLabels[market])}</th><td>${group.responses} 份 answers · 指数 index ${formatIndex(group.satisfactionIndex)} · NPS ${formatNps(group.nps.score)}</td></tr>`;
})}
</table>
${lowest.length > 0 ? html`<p>评分最低${lowest.length > 1 ? `（${lowest.length} 项并列）` : ''} Lowest rated${lowest.length > 1 ? ` (${lowest.length}-way tie)` : ''}: ${lowest.map((d, index) => html`${index > 0 ? '; ' : ''}<strong>${both(dimensionLabels[d])} ${formatMean(tally.dimensions[d].mean)}</strong>`)}</p>` : ''}
<p>书面建议 Written suggestions: ${tally.suggestions.length}（详见报告 listed in the report）</p>
${options.reportUrl || options.csvUrl ? html`<p>${options.reportUrl ? html`<a href="${options.reportUrl}">报告 Report</a> ` : ''}${options.csvUrl ? html`<a href="${options.csvUrl}">CSV</a>` : ''}</p>` : ''}
<p>请各部门研究用户建议，制定进一步增强用户满意的措施，报总经理批准后实施；结果提交管理评审。<br>
Departments: please study the customers' suggestions and propose measures for the General Manager's approval; the results go to the management review.</p>
<p style="color:#5b6270;font-size:.85rem">生成于 Generated ${formatDate(options.generatedAt)} (Asia/Shanghai)</p>
</body></html>`;

  return { subject, text: `${lines.join('\n')}\n`, html: body.html };
}
