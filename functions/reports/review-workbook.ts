/**
 * The management-review workbook (XLSX): one sheet each for the period's whole register
 * (streamed), the statistics with the previous period, CAPA and the latest survey. Apart
 * from the page (`review-pack.ts`): exceljs is big.
 */
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { CountRow } from '#functions/domain/complaint-statistics.ts';
import {
  type DepartmentCode,
  departmentCodes,
  departmentNames,
} from '#functions/domain/departments.ts';
import type { Bilingual } from '#functions/domain/labels.ts';
import type { RegisterRow } from '#functions/domain/register.ts';
import { dimensionLabels, ratingDimensions } from '#functions/domain/survey.ts';
import type { SurveyTally } from '#functions/domain/survey-statistics.ts';
import type { ReviewPack } from '#functions/services/review-pack.ts';
import { capaSourceLabels, capaStatusLabels, capaTypeLabels } from '#functions/web/capa-pages.ts';
import { addRegisterSheet, excelDate, xlsxWriter } from './register-export.ts';
import {
  both,
  categoryName,
  departmentName,
  headlineRows,
  marketName,
  reviewTitle,
} from './review-pack.ts';
import { regionName } from './survey-report.ts';

type Cell = string | number | Date | null;

function addSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: { header: Bilingual | string; width: number; date?: boolean }[],
  rows: Iterable<Cell[]>,
): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({
    width: column.width,
    ...(column.date ? { style: { numFmt: 'yyyy-mm-dd hh:mm' } } : {}),
  }));
  const header = sheet.addRow(
    columns.map((column) =>
      typeof column.header === 'string'
        ? column.header
        : `${column.header.zh}\n${column.header.en}`,
    ),
  );
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'top' };
  header.commit();
  for (const row of rows) sheet.addRow(row).commit();
  sheet.commit();
}

function* statisticsRows(pack: ReviewPack): Generator<Cell[]> {
  for (const row of headlineRows(pack)) yield [row.label, row.now, row.before, row.change];
  const groups: [string, CountRow[], (key: string) => string][] = [
    ['类别 Category', pack.statistics.byCategory, categoryName],
    ['产品型号 Product model', pack.statistics.byProductModel, (key) => key],
    ['市场 Market', pack.statistics.byMarket, marketName],
    ['地区 Region', pack.statistics.byRegion, (key) => both(regionName(key))],
    ['渠道 Channel', pack.statistics.byChannel, (key) => key],
    ['部门 Department', pack.statistics.byDepartment, departmentName],
  ];
  for (const [group, rows, name] of groups) {
    for (const row of rows) yield [`${group}: ${name(row.key)}`, row.count, null, null];
  }
  for (const point of pack.statistics.trend)
    yield [`月 Month ${point.month}`, point.count, null, null];
  for (const entry of pack.statistics.compensation) {
    yield [`赔偿 Compensation ${entry.currency}`, entry.total, entry.count, null];
  }
}

function* capaSheetRows(pack: ReviewPack): Generator<Cell[]> {
  for (const [state, items] of [
    ['open', pack.openCapa],
    ['closed', pack.closedCapa],
  ] as const) {
    for (const item of items) {
      yield [
        item.reference,
        state === 'open' ? '未关闭 Open' : '本期关闭 Closed',
        both(capaTypeLabels[item.type]),
        both(capaSourceLabels[item.source]),
        item.problem,
        item.rootCause,
        item.actions
          .map(
            (planned) =>
              `${planned.description} (${departmentNameOf(planned.department)}, ${planned.dueDate}${planned.doneAt ? ', done' : ''})`,
          )
          .join('\n'),
        item.complaints.join(', '),
        both(capaStatusLabels[item.status]),
        item.verification?.verdict ?? null,
        item.notEffectiveCount,
        excelDate(item.createdAt),
        item.closedAt ? excelDate(item.closedAt) : null,
      ];
    }
  }
}

function departmentNameOf(code: DepartmentCode): string {
  return departmentCodes.includes(code) ? departmentNames[code].en : code;
}

function* surveyRows(survey: SurveyTally | undefined): Generator<Cell[]> {
  if (!survey) {
    yield ['No survey yet', null];
    return;
  }
  yield ['年份 Year', survey.year];
  yield ['邀请 Invited', survey.invited];
  yield ['答复 Responses', survey.responses];
  yield ['答复率 Response rate', survey.responseRate];
  yield ['满意度指数 Satisfaction index', survey.satisfactionIndex];
  yield ['净推荐值 NPS', survey.nps.score];
  for (const dimension of ratingDimensions) {
    yield [`${both(dimensionLabels[dimension])} mean`, survey.dimensions[dimension].mean];
  }
  for (const entry of survey.suggestions) {
    yield [`建议 Suggestion: ${entry.company ?? entry.name ?? ''}`, entry.text];
  }
}

/** The workbook: the period's whole register (streamed), the statistics, CAPA and the survey. */
export async function writeReviewWorkbook(
  pack: ReviewPack,
  registerRows: AsyncIterable<RegisterRow>,
  out: Writable,
): Promise<number> {
  const workbook = await xlsxWriter(out, `${reviewTitle} ${pack.from} – ${pack.to}`);
  const count = await addRegisterSheet(workbook, registerRows);
  addSheet(
    workbook,
    '统计 Statistics',
    [
      { header: { zh: '指标', en: 'Figure' }, width: 48 },
      { header: { zh: `本期 ${pack.from}–${pack.to}`, en: 'This period' }, width: 22 },
      {
        header: { zh: `上期 ${pack.previous.from}–${pack.previous.to}`, en: 'Previous' },
        width: 22,
      },
      { header: { zh: '变化', en: 'Change' }, width: 14 },
    ],
    statisticsRows(pack),
  );
  addSheet(
    workbook,
    '纠正预防 CAPA',
    [
      { header: { zh: '编号', en: 'Reference' }, width: 14 },
      { header: { zh: '本期', en: 'In the period' }, width: 14 },
      { header: { zh: '类型', en: 'Type' }, width: 18 },
      { header: { zh: '来源', en: 'Source' }, width: 18 },
      { header: { zh: '问题', en: 'Problem' }, width: 40 },
      { header: { zh: '根本原因', en: 'Root cause' }, width: 40 },
      { header: { zh: '措施', en: 'Actions' }, width: 50 },
      { header: { zh: '相关投诉', en: 'Complaints' }, width: 30 },
      { header: { zh: '状态', en: 'Status' }, width: 22 },
      { header: { zh: '验证结论', en: 'Verdict' }, width: 14 },
      { header: { zh: '判无效次数', en: 'Not effective' }, width: 10 },
      { header: { zh: '创建', en: 'Created' }, width: 17, date: true },
      { header: { zh: '关闭', en: 'Closed' }, width: 17, date: true },
    ],
    capaSheetRows(pack),
  );
  addSheet(
    workbook,
    '满意度调查 Survey',
    [
      { header: { zh: '指标', en: 'Figure' }, width: 48 },
      { header: { zh: '数值', en: 'Value' }, width: 60 },
    ],
    surveyRows(pack.survey),
  );
  await workbook.commit();
  return count;
}
