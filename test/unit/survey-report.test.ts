import { describe, expect, it } from 'vitest';
import { parseCsv } from '#functions/contract/customer-csv.ts';
import { tallySurvey } from '#functions/domain/survey-statistics.ts';
import {
  csvCell,
  formatChange,
  formatMean,
  formatNps,
  formatShare,
  regionName,
  surveyReportCsv,
  surveyReportEmail,
  surveyReportPage,
} from '#functions/reports/survey-report.ts';
import { knownAnswers, lastYear, response } from './survey-fixtures.ts';

const generatedAt = new Date('2026-02-14T01:30:00.000Z');
const tally = tallySurvey({
  year: 2026,
  invited: { total: 10, byMarket: { domestic: 6, export: 4 } },
  responses: knownAnswers,
  lastYear,
});

// What a hostile customer could type into the free-text and name fields.
const hostile = response(
  'x@example.com',
  'export',
  'US',
  '2026-01-30T00:00:00.000Z',
  [1, 2, 3, 4, 5, 3],
  5,
  {
    suggestions: '<script>alert("x")</script> & <img src=x onerror=alert(1)>',
    company: '=HYPERLINK("http://evil.example","click")',
    name: `"><svg onload=alert(1)>`,
  },
);
const hostileTally = tallySurvey({ year: 2026, invited: 1, responses: [hostile] });

describe('number formats', () => {
  it('rounds for people and marks missing figures', () => {
    expect(formatMean(23 / 6)).toBe('3.83');
    expect(formatShare(0.6)).toBe('60.0%');
    expect(formatNps(100 / 6)).toBe('+16.7');
    expect(formatNps(-25 / 3)).toBe('−8.3');
    expect(formatNps(0)).toBe('±0.0');
    expect(formatMean(null)).toBe('—');
    expect(formatChange(0.1, 'share')).toBe('+10.0 pp');
    expect(formatChange(-1 / 6, 'mean')).toBe('−0.17');
  });

  it('names provinces and countries in both languages', () => {
    expect(regionName('CN-GD')).toEqual({ zh: '广东', en: 'Guangdong' });
    expect(regionName('DE')).toEqual({ zh: '德国', en: 'Germany' });
    expect(regionName('??')).toEqual({ zh: '??', en: '??' });
  });
});

describe('CSV report', () => {
  const csv = surveyReportCsv(tally, { generatedAt });

  it('starts with a UTF-8 BOM so Excel reads Chinese, and uses CRLF', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.startsWith('\uFEFF用户满意情况调查表 Customer satisfaction survey,2026\r\n')).toBe(
      true,
    );
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    expect(new TextEncoder().encode(csv).slice(0, 3)).toEqual(Uint8Array.from([0xef, 0xbb, 0xbf]));
  });

  it('carries the hand-computed figures and the change from last year', () => {
    const rows = parseCsv(csv).records.map((r) => r.fields);
    const row = (first: string) => rows.find((fields) => fields[0] === first);
    expect(row('回复率 Response rate (%)')).toEqual(['回复率 Response rate (%)', '60', '50', '10']);
    expect(row('满意度指数 Satisfaction index (0–100)')).toEqual([
      '满意度指数 Satisfaction index (0–100)',
      '71.5',
      '70',
      '1.5',
    ]);
    expect(row('NPS 净推荐值 (−100–100)')?.slice(1)).toEqual(['16.7', '25', '-8.3']);
    expect(row('产品质量 Product quality 平均分 mean (1–5)')?.slice(1)).toEqual([
      '3.83',
      '4',
      '-0.17',
    ]);
    expect(row('货物相符 Goods as ordered')?.slice(1)).toEqual([
      '0',
      '0',
      '0',
      '2',
      '4',
      '6',
      '4.67',
      '100',
    ]);
    expect(row('全部 All')?.slice(3, 8)).toEqual(['10', '6', '60', '71.5', '16.7']);
    expect(row('回复数 Answers')?.slice(1)).toEqual([
      '0',
      '0',
      '0',
      '1',
      '0',
      '0',
      '1',
      '0',
      '1',
      '1',
      '2',
      '3',
      '1',
      '2',
      '16.7',
    ]);
    const regions = rows.filter((fields) => fields[0] === '地区 Region').map((f) => f[1]);
    expect(regions).toEqual(['CN-GD', 'DE', 'CN-JS', 'US']);
  });

  it('lists the suggestions, quoting commas and quotes', () => {
    const rows = parseCsv(csv).records.map((r) => r.fields);
    const suggestions = rows.filter((fields) => /^2026-01-\d\d$/.test(fields[0] ?? ''));
    expect(suggestions.map((fields) => fields[7])).toEqual([
      '希望交货再快一些',
      'Better packaging, please',
      '<b>Certificates</b> were missing & late',
    ]);
    expect(suggestions[2]?.[1]).toBe('Bau "AG"');
    expect(csv).toContain('"Bau ""AG"""');
  });

  it('keeps customer text from running as a spreadsheet formula', () => {
    const hostileCsv = surveyReportCsv(hostileTally, { generatedAt });
    expect(hostileCsv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(' padded ')).toBe('" padded "');
  });
});

describe('HTML report', () => {
  const page = surveyReportPage(tally, { generatedAt }).html;

  it('is a standalone bilingual page with inline SVG charts', () => {
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('Customer satisfaction survey 2026');
    expect(page).toContain('用户满意情况调查表');
    expect(page).toContain('管理评审');
    expect(page.match(/<svg /g)).toHaveLength(3);
    expect(page).not.toMatch(/<(script|link|img)\b/);
    expect(page).not.toMatch(/src=|href="http/);
  });

  it('shows the headline figures and last year', () => {
    expect(page).toContain('60.0%');
    expect(page).toContain('71.5');
    expect(page).toContain('+16.7');
    expect(page).toContain('+10.0 pp');
    expect(page).toContain('<th>2025</th>');
    expect(page).toContain('德国 Germany');
  });

  it('draws one mean bar per dimension, scaled to 0–5', () => {
    // goods accuracy: 28/6 × 80 px per point = 373.3 px
    expect(page).toContain('width="373.3"');
    // documents: 3.5 × 80 = 280 px
    expect(page).toContain('width="280"');
  });

  it('escapes everything customers wrote', () => {
    const hostilePage = surveyReportPage(hostileTally, { generatedAt }).html;
    expect(hostilePage).not.toContain('<script>');
    expect(hostilePage).not.toContain('<img');
    expect(hostilePage).not.toContain('<svg onload');
    expect(hostilePage).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img',
    );
    expect(hostilePage).toContain('&quot;&gt;&lt;svg onload=alert(1)&gt;');
  });

  it('says when there is nothing yet, rather than failing', () => {
    const empty = surveyReportPage(tallySurvey({ year: 2027, invited: 0, responses: [] }), {
      generatedAt,
    }).html;
    expect(empty).toContain('No written suggestions');
    expect(empty).toContain('—');
    expect(empty).not.toContain('NaN');
  });
});

describe('email summary', () => {
  const email = surveyReportEmail(tally, {
    generatedAt,
    reportUrl: 'https://reports.example.cn/survey/2026.html',
    csvUrl: 'https://reports.example.cn/survey/2026.csv',
  });

  it('has a bilingual subject and the headline figures in plain text', () => {
    expect(email.subject).toBe(
      '2026 年用户满意情况调查表统计结果 · Customer satisfaction survey 2026: results',
    );
    expect(email.text).toContain('回复 Responses: 6 / 10 (60.0%) (+10.0 pp vs 2025)');
    expect(email.text).toContain('满意度指数 Satisfaction index (0–100): 71.5 (+1.5 vs 2025)');
    expect(email.text).toContain('净推荐值 NPS: +16.7 (−8.3 vs 2025)');
    expect(email.text).toContain('单证资料 Documents: 3.50 (±0.00 vs 2025)');
    // Delivery and documents both average 3.50: both are named, neither wins by list order.
    expect(email.text).toContain(
      '评分最低（2 项并列） Lowest rated (2-way tie): 交货 Delivery 3.50; 单证资料 Documents 3.50',
    );
    expect(email.text).toContain('书面建议 Written suggestions: 3');
    expect(email.text).toContain('https://reports.example.cn/survey/2026.csv');
  });

  it('has the same figures in HTML, escaped', () => {
    expect(email.html).toContain('<a href="https://reports.example.cn/survey/2026.html">');
    expect(email.html).toContain('71.5 (+1.5 vs 2025)');
    const hostileEmail = surveyReportEmail(hostileTally, {
      generatedAt,
      reportUrl: '"><script>x</script>',
    });
    expect(hostileEmail.html).not.toContain('<script>');
  });

  it('leaves out last year when there is none', () => {
    const first = surveyReportEmail(tallySurvey({ year: 2026, invited: 3, responses: [] }), {
      generatedAt,
    });
    expect(first.text).not.toContain(' vs ');
    expect(first.text).toContain('回复 Responses: 0 / 3 (0.0%)');
  });
});
