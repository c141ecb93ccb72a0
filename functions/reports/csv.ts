/** CSV cells a spreadsheet opens safely, and the register's way of showing an instant. */

export const csvBom = '\uFEFF';

/**
 * A cell a spreadsheet will not run: text starting with = + - @, a tab or a carriage return
 * gets a leading apostrophe (OWASP's CSV-injection advice); then RFC 4180 quoting.
 */
export function safeCsvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvLine(cells: readonly (string | number | undefined)[]): string {
  return `${cells.map(safeCsvCell).join(',')}\r\n`;
}

const offsetMs = 8 * 3_600_000;

/** `2026-03-04 09:30`, China time: how the register shows an instant. */
export function chinaDateTime(at: string): string {
  const local = new Date(Date.parse(at) + offsetMs).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}
