/**
 * The complaint statistics as a CSV and as inline SVG charts (the survey report's style:
 * no script, a title for screen readers, every number also in a table on the page).
 */
import type {
  CountRow,
  HoursFigure,
  ParetoRow,
  Share,
  StatisticsFigures,
} from '#functions/domain/complaint-statistics.ts';
import { html, type SafeHtml } from '#functions/shared/html.ts';
import { csvBom, csvLine } from './csv.ts';

export function percent(share: number | null): string {
  return share === null ? '—' : `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
}

export function hoursText(value: number | null): string {
  return value === null ? '—' : value.toFixed(1);
}

/** One table of every figure: section, item, value (and the parts of a share). */
export function statisticsCsv(figures: StatisticsFigures): string {
  const lines: (string | number | undefined)[][] = [
    ['section / 部分', 'item / 项目', 'value / 数值', 'part / 分子', 'of / 分母'],
    ['period', 'from', figures.from],
    ['period', 'to', figures.to],
    ['total', 'complaints', figures.total],
  ];
  const counts = (section: string, rows: CountRow[]) => {
    for (const row of rows) lines.push([section, row.key, row.count]);
  };
  counts('category', figures.byCategory);
  counts('product_model', figures.byProductModel);
  counts('region', figures.byRegion);
  counts('market', figures.byMarket);
  counts('channel', figures.byChannel);
  counts('department', figures.byDepartment);
  for (const point of figures.trend) lines.push(['trend', point.month, point.count]);
  const share = (item: string, value: Share) =>
    lines.push([
      'rate',
      item,
      value.share === null ? '' : Math.round(value.share * 1000) / 1000,
      value.part,
      value.of,
    ]);
  share('first_response_on_time', figures.firstResponseOnTime);
  share('resolution_on_time', figures.resolutionOnTime);
  share('satisfied_with_handling', figures.satisfied);
  share('reopened', figures.reopened);
  const hours = (item: string, value: HoursFigure) => {
    lines.push(['working_hours', `${item}_median`, value.median ?? '', undefined, value.count]);
    lines.push(['working_hours', `${item}_p90`, value.p90 ?? '', undefined, value.count]);
  };
  hours('first_response', figures.firstResponseHours);
  hours('close', figures.closeHours);
  for (const entry of figures.compensation) {
    lines.push(['compensation', entry.currency, entry.total, entry.count]);
  }
  for (const suggestion of figures.suggestions) {
    lines.push([
      'capa_suggestion',
      `${suggestion.category} ${suggestion.productModel}`,
      suggestion.references.join(' '),
      suggestion.count,
    ]);
  }
  return csvBom + lines.map(csvLine).join('');
}

function svg(id: string, width: number, height: number, title: string, body: SafeHtml): SafeHtml {
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}" font-family="system-ui,'PingFang SC','Microsoft YaHei',sans-serif"><title id="${id}">${title}</title>${body}</svg>`;
}

/** Bars of each count, largest first, and the cumulative share as a line (right axis, %). */
export function paretoChart(
  id: string,
  title: string,
  rows: readonly ParetoRow[],
  label: (key: string) => string,
): SafeHtml {
  const shown = rows.slice(0, 12);
  const width = 640;
  const height = 280;
  const left = 44;
  const right = 44;
  const top = 16;
  const bottom = 80;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const max = Math.max(1, ...shown.map((row) => row.count));
  const step = shown.length ? plotWidth / shown.length : plotWidth;
  const barWidth = Math.max(6, step * 0.7);
  const y = (count: number) => top + plotHeight - (count / max) * plotHeight;
  const cumulativeY = (share: number) => top + plotHeight - share * plotHeight;
  const points = shown
    .map(
      (row, index) =>
        `${(left + step * index + step / 2).toFixed(1)},${cumulativeY(row.cumulative).toFixed(1)}`,
    )
    .join(' ');
  const body = html`<line x1="${left}" y1="${top + plotHeight}" x2="${width - right}" y2="${top + plotHeight}" stroke="#5b6270"/>
<text x="${left - 6}" y="${top + 4}" font-size="11" text-anchor="end" fill="#5b6270">${max}</text>
<text x="${left - 6}" y="${top + plotHeight}" font-size="11" text-anchor="end" fill="#5b6270">0</text>
<text x="${width - right + 6}" y="${top + 4}" font-size="11" fill="#5b6270">100%</text>
<text x="${width - right + 6}" y="${top + plotHeight}" font-size="11" fill="#5b6270">0%</text>
${shown.map((row, index) => {
  const x = left + step * index + (step - barWidth) / 2;
  const barTop = y(row.count);
  const name = label(row.key);
  const short = name.length > 10 ? `${name.slice(0, 9)}…` : name;
  return html`<rect x="${x.toFixed(1)}" y="${barTop.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(top + plotHeight - barTop).toFixed(1)}" fill="#1b5fae"/>
<text x="${(x + barWidth / 2).toFixed(1)}" y="${(barTop - 3).toFixed(1)}" font-size="11" text-anchor="middle">${row.count}</text>
<text transform="translate(${(x + barWidth / 2).toFixed(1)},${top + plotHeight + 12}) rotate(35)" font-size="11">${short}</text>`;
})}
${shown.length ? html`<polyline points="${points}" fill="none" stroke="#c25e00" stroke-width="2"/>${shown.map((row, index) => html`<circle cx="${(left + step * index + step / 2).toFixed(1)}" cy="${cumulativeY(row.cumulative).toFixed(1)}" r="3" fill="#c25e00"/>`)}` : html`<text x="${left + 8}" y="${top + plotHeight / 2}" font-size="13" fill="#5b6270">无数据 No data</text>`}
<line x1="${left}" y1="${cumulativeY(0.8).toFixed(1)}" x2="${width - right}" y2="${cumulativeY(0.8).toFixed(1)}" stroke="#c25e00" stroke-dasharray="4 4" stroke-width="1"/>
<text x="${width - right + 6}" y="${(cumulativeY(0.8) + 4).toFixed(1)}" font-size="11" fill="#c25e00">80%</text>`;
  return svg(id, width, height, title, body);
}

/** Complaints received per month: twelve bars. */
export function trendChart(
  id: string,
  title: string,
  trend: readonly { month: string; count: number }[],
): SafeHtml {
  const width = 640;
  const height = 220;
  const left = 36;
  const top = 16;
  const bottom = 40;
  const plotWidth = width - left - 12;
  const plotHeight = height - top - bottom;
  const max = Math.max(1, ...trend.map((point) => point.count));
  const step = trend.length ? plotWidth / trend.length : plotWidth;
  const barWidth = step * 0.7;
  const body = html`<line x1="${left}" y1="${top + plotHeight}" x2="${width - 12}" y2="${top + plotHeight}" stroke="#5b6270"/>
<text x="${left - 6}" y="${top + 4}" font-size="11" text-anchor="end" fill="#5b6270">${max}</text>
${trend.map((point, index) => {
  const x = left + step * index + (step - barWidth) / 2;
  const barHeight = (point.count / max) * plotHeight;
  return html`<rect x="${x.toFixed(1)}" y="${(top + plotHeight - barHeight).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${barHeight.toFixed(1)}" fill="#2f7d4f"/>
<text x="${(x + barWidth / 2).toFixed(1)}" y="${(top + plotHeight - barHeight - 3).toFixed(1)}" font-size="11" text-anchor="middle">${point.count}</text>
<text x="${(x + barWidth / 2).toFixed(1)}" y="${top + plotHeight + 14}" font-size="10" text-anchor="middle">${point.month.slice(2)}</text>`;
})}`;
  return svg(id, width, height, title, body);
}
