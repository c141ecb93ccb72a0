/**
 * The register as files: CSV (UTF-8 with a BOM so Excel reads the Chinese, every text cell
 * formula-safe) and XLSX (exceljs's streaming writer: Chinese headers with English beneath,
 * a frozen header row, column widths, dates as dates). Both take rows as a stream and write
 * them as they come, so a 100,000-row register never sits in memory as objects.
 */
import { PassThrough, type Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import {
  type RegisterColumn,
  type RegisterRow,
  registerColumns,
} from '#functions/domain/register.ts';
import { chinaDateTime, csvBom, csvLine } from './csv.ts';

function textOf(column: RegisterColumn, row: RegisterRow): string | number | undefined {
  const value = column.value(row);
  if (column.kind === 'date' && typeof value === 'string') return chinaDateTime(value);
  return value;
}

export function headerText(column: RegisterColumn): string {
  return `${column.label.zh} / ${column.label.en}`;
}

/** Writes the CSV to `out` as the rows arrive; resolves with the row count. */
export async function writeRegisterCsv(
  rows: AsyncIterable<RegisterRow>,
  out: Writable,
): Promise<number> {
  let count = 0;
  await write(out, csvBom + csvLine(registerColumns.map(headerText)));
  let buffer = '';
  for await (const row of rows) {
    buffer += csvLine(registerColumns.map((column) => textOf(column, row)));
    count++;
    if (buffer.length > 64 * 1024) {
      await write(out, buffer);
      buffer = '';
    }
  }
  if (buffer) await write(out, buffer);
  return count;
}

function write(out: Writable, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(chunk, 'utf8', (error) => (error ? reject(error) : resolve()));
  });
}

const offsetMs = 8 * 3_600_000;

/** An instant as a date Excel shows in China time (Excel dates have no zone). */
export function excelDate(at: string): Date {
  return new Date(Date.parse(at) + offsetMs);
}

/**
 * Writes the XLSX to `out` with exceljs's streaming writer: each row is committed as it is
 * added, so memory holds the compressed output, not a workbook of objects.
 */
export async function writeRegisterXlsx(
  rows: AsyncIterable<RegisterRow>,
  out: Writable,
  title = '用户意见登记及处理表 Complaint register',
): Promise<number> {
  const workbook = await xlsxWriter(out, title);
  const count = await addRegisterSheet(workbook, rows);
  await workbook.commit();
  return count;
}

/** exceljs's streaming writer to `out`, for our workbooks. */
export async function xlsxWriter(
  out: Writable,
  title: string,
): Promise<ExcelJS.stream.xlsx.WorkbookWriter> {
  // Loaded on the first workbook, not at start-up: exceljs is 1.1 MB of the bundle.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'Aftercare';
  workbook.title = title;
  return workbook;
}

/**
 * The register's sheet, row by row as the rows come (each committed at once), in a workbook
 * of its own or the review's; the number of rows.
 */
export async function addRegisterSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  rows: AsyncIterable<RegisterRow>,
): Promise<number> {
  const sheet = workbook.addWorksheet('登记表 Register', {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }],
  });
  sheet.columns = registerColumns.map((column) => ({
    key: column.key,
    width: column.width,
    ...(column.kind === 'date' ? { style: { numFmt: 'yyyy-mm-dd hh:mm' } } : {}),
  }));
  const header = sheet.addRow(
    registerColumns.map((column) => `${column.label.zh}\n${column.label.en}`),
  );
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'top' };
  header.height = 32;
  header.commit();
  let count = 0;
  for await (const row of rows) {
    const added = sheet.addRow(
      registerColumns.map((column) => {
        const value = column.value(row);
        if (value === undefined) return null;
        return column.kind === 'date' && typeof value === 'string' ? excelDate(value) : value;
      }),
    );
    added.commit();
    count++;
  }
  sheet.commit();
  return count;
}

/** Collects a writer's output into one buffer (for S3, or a file). */
export async function toBuffer(
  writer: (out: Writable) => Promise<number>,
): Promise<{ body: Buffer; rows: number }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const rows = await writer(out);
  if (!out.writableEnded) out.end();
  await ended;
  return { body: Buffer.concat(chunks), rows };
}
