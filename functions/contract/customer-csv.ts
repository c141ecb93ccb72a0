/**
 * The operator's customer list (`npm run customers:import -- FILE`): CSV as RFC 4180 has it
 * (header row, comma separated, fields quoted with `"` and `""` inside, CRLF or LF), UTF-8
 * with or without a BOM, as Excel's "CSV UTF-8" writes it. Columns, in any order:
 * company, name, email, market, region, language (company and language may be left out), and
 * how the yearly survey reaches the customer: survey_channel (`email`, the default when there
 * is an address; `phone`, `fax`, `post`) with phone, fax or address. A customer surveyed by
 * phone, fax or post may have no email address.
 * Every row is validated as intake validates a customer; good rows are kept, bad rows are
 * reported by line number with bilingual messages, and a repeated email is reported on
 * every line after its first.
 */
import * as z from 'zod/mini';
import {
  defaultLanguage,
  type Language,
  languages,
  type Market,
  markets,
} from '#functions/domain/complaint.ts';
import { surveyCustomerKey } from '#functions/domain/survey.ts';
import {
  offlineCustomerAddress,
  type SurveyChannel,
  surveyChannels,
} from '#functions/domain/survey-channels.ts';
import {
  emailAddress,
  type FieldErrors,
  message,
  oneOf,
  type ParseResult,
  parseWith,
  text,
  withRegionCode,
} from './fields.ts';

// ---------------------------------------------------------------------------------------------
// RFC 4180

export interface CsvRecord {
  /** 1-based line of the file the record starts on. */
  line: number;
  fields: string[];
  /** Set when the record is not well-formed CSV (text after a closing quote). */
  problem?: string;
}

export interface CsvParse {
  records: CsvRecord[];
  /** Line of a quote that is never closed: nothing from there on was read. */
  unclosedQuoteLine?: number;
}

/** Splits CSV text into records. A quote inside an unquoted field is kept as text. */
export function parseCsv(input: string): CsvParse {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let line = 1;
  let index = 0;
  while (index < text.length) {
    const record: CsvRecord = { line, fields: [] };
    let field = '';
    let recordDone = false;
    while (!recordDone) {
      if (text[index] === '"') {
        // A quoted field: up to the quote not followed by another quote.
        const quoteLine = line;
        index += 1;
        for (;;) {
          if (index >= text.length) {
            return { records, unclosedQuoteLine: quoteLine };
          }
          const character = text.charAt(index);
          if (character === '"') {
            if (text[index + 1] === '"') {
              field += '"';
              index += 2;
              continue;
            }
            index += 1;
            break;
          }
          if (character === '\n' || (character === '\r' && text[index + 1] !== '\n')) line += 1;
          field += character;
          index += 1;
        }
        // After the closing quote only a separator or the end of the record may follow.
        if (index < text.length && !isSeparatorOrBreak(text, index)) {
          record.problem ??= message(
            'Unexpected text after a closing quote',
            '引号结束后还有多余的文字',
          );
          while (index < text.length && !isSeparatorOrBreak(text, index)) {
            field += text[index];
            index += 1;
          }
        }
      } else {
        while (index < text.length && !isSeparatorOrBreak(text, index)) {
          field += text[index];
          index += 1;
        }
      }
      record.fields.push(field);
      field = '';
      if (index >= text.length) {
        recordDone = true;
      } else if (text[index] === ',') {
        index += 1;
      } else {
        index += text[index] === '\r' && text[index + 1] === '\n' ? 2 : 1;
        line += 1;
        recordDone = true;
      }
    }
    records.push(record);
  }
  return { records };
}

function isSeparatorOrBreak(text: string, index: number): boolean {
  const character = text[index];
  return character === ',' || character === '\n' || character === '\r';
}

// ---------------------------------------------------------------------------------------------
// Customers

export const customerCsvColumns = [
  'company',
  'name',
  'email',
  'market',
  'region',
  'language',
  'survey_channel',
  'phone',
  'fax',
  'address',
] as const;
export type CustomerCsvColumn = (typeof customerCsvColumns)[number];

const requiredColumns: readonly CustomerCsvColumn[] = ['name', 'email', 'market', 'region'];

export interface ImportedCustomer {
  company?: string;
  name: string;
  /** Without an address in the file: `<channel>-…@offline.invalid` (`offlineCustomerAddress`). */
  email: string;
  market: Market;
  /** `CN-GD` style province code (domestic) or ISO 3166-1 alpha-2 country (export). */
  region: string;
  language: Language;
  /** As the file says; left out, a new customer is surveyed by email and an entry keeps its own. */
  surveyChannel?: SurveyChannel;
  phone?: string;
  fax?: string;
  postalAddress?: string;
}

export interface GoodCustomerRow {
  line: number;
  customer: ImportedCustomer;
}

export interface BadCustomerRow {
  line: number;
  /** Column (or `_` for the whole row) → bilingual message. */
  errors: FieldErrors;
  /** The row as read, for the operator to find it. */
  values: Partial<Record<CustomerCsvColumn, string>>;
}

export interface CustomerCsvResult {
  good: GoodCustomerRow[];
  bad: BadCustomerRow[];
  /** Problems with the file as a whole (encoding, header); bilingual. */
  fileErrors: string[];
  /** Header columns this import does not know; their cells are not read. */
  ignoredColumns: string[];
}

const marketAliases: Record<string, Market> = {
  domestic: 'domestic',
  国内: 'domestic',
  内销: 'domestic',
  export: 'export',
  出口: 'export',
  外销: 'export',
};

const languageAliases: Record<string, Language> = {
  zh: 'zh',
  'zh-cn': 'zh',
  中文: 'zh',
  chinese: 'zh',
  en: 'en',
  英文: 'en',
  english: 'en',
};

function alias<T extends string>(aliases: Record<string, T>) {
  return (value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    const key = value.trim().toLowerCase();
    // Own entries only: a cell reading `constructor` must not find Object's.
    return Object.hasOwn(aliases, key) ? aliases[key] : value.trim();
  };
}

const singleLine = { singleLine: true } as const;

const channelAliases: Record<string, SurveyChannel> = {
  email: 'email',
  邮件: 'email',
  phone: 'phone',
  telephone: 'phone',
  电话: 'phone',
  fax: 'fax',
  传真: 'fax',
  post: 'post',
  mail: 'post',
  邮寄: 'post',
};

// Digits with the usual separators and an extension: `+86 20 1234 5678`, `(020) 1234-5678 ext. 12`.
const phoneNumber = z.pipe(
  text(40, singleLine),
  z
    .string()
    .check(
      z.regex(
        /^\+?[0-9][0-9 ()./-]{4,30}([ ]*(ext\.?|x|转)[ ]*[0-9]{1,6})?$/i,
        message(
          'Not a phone or fax number (e.g. +86 20 1234 5678)',
          '不是有效的电话或传真号码（如 +86 20 1234 5678）',
        ),
      ),
    ),
);

const contactField: Record<Exclude<SurveyChannel, 'email'>, 'phone' | 'fax' | 'postalAddress'> = {
  phone: 'phone',
  fax: 'fax',
  post: 'postalAddress',
};
const contactColumn = { phone: 'phone', fax: 'fax', post: 'address' } as const;

/** One customer as the registry takes it, whether from a CSV row or elsewhere. */
export const customerRecord = z.pipe(
  z.object(
    {
      company: z.optional(text(200, singleLine)),
      name: text(100, singleLine),
      email: z.optional(emailAddress),
      market: z.pipe(z.transform(alias(marketAliases)), oneOf(markets)),
      region: text(64, singleLine),
      language: z.optional(z.pipe(z.transform(alias(languageAliases)), oneOf(languages))),
      survey_channel: z.optional(z.pipe(z.transform(alias(channelAliases)), oneOf(surveyChannels))),
      phone: z.optional(phoneNumber),
      fax: z.optional(phoneNumber),
      // Several lines, as it is printed on the envelope.
      address: z.optional(text(300, { singleLine: false })),
    },
    message('Expected an object with the customer fields', '须为包含客户字段的对象'),
  ),
  z.transform((typed, context): ImportedCustomer => {
    const issues = context.issues.length;
    const value = withRegionCode(typed, context);
    if (context.issues.length > issues) return z.NEVER;
    const channel = value.survey_channel ?? 'email';
    const contacts = { phone: value.phone, fax: value.fax, postalAddress: value.address };
    let email = value.email;
    if (channel === 'email') {
      if (email === undefined) {
        context.issues.push({
          code: 'custom',
          input: email,
          path: ['email'],
          message: message(
            'Required, unless survey_channel is phone, fax or post',
            '必填（调查方式为电话、传真或邮寄时可不填）',
          ),
        });
        return z.NEVER;
      }
    } else {
      const contact = contacts[contactField[channel]];
      if (contact === undefined) {
        context.issues.push({
          code: 'custom',
          input: contact,
          path: [contactColumn[channel]],
          message: message(
            `Required when survey_channel is ${channel}`,
            `调查方式为${channel === 'phone' ? '电话' : channel === 'fax' ? '传真' : '邮寄'}时必填`,
          ),
        });
        return z.NEVER;
      }
      email ??= offlineCustomerAddress(channel, contact);
    }
    const customer: ImportedCustomer = {
      name: value.name,
      email,
      market: value.market,
      region: value.region,
      language: value.language ?? defaultLanguage(value.market),
    };
    if (value.survey_channel !== undefined) customer.surveyChannel = value.survey_channel;
    if (value.company !== undefined) customer.company = value.company;
    if (contacts.phone !== undefined) customer.phone = contacts.phone;
    if (contacts.fax !== undefined) customer.fax = contacts.fax;
    if (contacts.postalAddress !== undefined) customer.postalAddress = contacts.postalAddress;
    return customer;
  }),
);

export function parseCustomerRecord(input: unknown): ParseResult<ImportedCustomer> {
  return parseWith(customerRecord, input);
}

const notUtf8 = message(
  'The file is not UTF-8 text: in Excel, save it as "CSV UTF-8 (comma delimited)"',
  '文件不是 UTF-8 编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”',
);

/** Reads the operator's file: bytes as read from disk (or text already decoded). */
export function parseCustomerCsv(input: string | Uint8Array): CustomerCsvResult {
  const result: CustomerCsvResult = { good: [], bad: [], fileErrors: [], ignoredColumns: [] };
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      // Strips a UTF-8 BOM; refuses GBK, UTF-16 and other encodings rather than garble names.
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      result.fileErrors.push(notUtf8);
      return result;
    }
  }

  const parsed = parseCsv(text);
  const records = parsed.records.filter((record) => !isBlank(record.fields));
  const header = records.shift();
  if (header === undefined) {
    result.fileErrors.push(
      message(
        `The file is empty: the first line must name the columns ${customerCsvColumns.join(',')}`,
        `文件为空：第一行须为列名 ${customerCsvColumns.join(',')}`,
      ),
    );
    return result;
  }

  const columns = header.fields.map((name) =>
    name
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase(),
  );
  const positions = new Map<CustomerCsvColumn, number>();
  const isKnown = (column: string): column is CustomerCsvColumn =>
    customerCsvColumns.some((known) => known === column);
  columns.forEach((column, position) => {
    if (!isKnown(column)) {
      result.ignoredColumns.push(header.fields[position]?.trim() ?? column);
      return;
    }
    const name = column;
    if (positions.has(name)) {
      result.fileErrors.push(message(`Column "${name}" appears twice`, `列“${name}”出现了两次`));
    }
    positions.set(name, position);
  });
  const missing = requiredColumns.filter((column) => !positions.has(column));
  if (missing.length > 0) {
    result.fileErrors.push(
      message(
        `Line ${header.line}: the header lacks the columns ${missing.join(', ')} (expected ${customerCsvColumns.join(',')}, separated by commas)`,
        `第 ${header.line} 行：表头缺少列 ${missing.join('、')}（应为 ${customerCsvColumns.join(',')}，以逗号分隔）`,
      ),
    );
  }
  if (result.fileErrors.length > 0) return result;

  const firstLineOfEmail = new Map<string, number>();
  for (const record of records) {
    const values: Partial<Record<CustomerCsvColumn, string>> = {};
    for (const [column, position] of positions) {
      values[column] = record.fields[position] ?? '';
    }
    if (record.problem !== undefined) {
      result.bad.push({ line: record.line, errors: { _: record.problem }, values });
      continue;
    }
    if (record.fields.slice(columns.length).some((field) => field.trim() !== '')) {
      result.bad.push({
        line: record.line,
        errors: {
          _: message(
            `More cells than the ${columns.length} columns of the header`,
            `单元格数多于表头的 ${columns.length} 列`,
          ),
        },
        values,
      });
      continue;
    }
    const checked = parseCustomerRecord(values);
    if (!checked.ok) {
      result.bad.push({ line: record.line, errors: checked.errors, values });
      continue;
    }
    const key = surveyCustomerKey(checked.value.email);
    const firstLine = firstLineOfEmail.get(key);
    if (firstLine !== undefined) {
      result.bad.push({
        line: record.line,
        errors: {
          email: message(
            `Same email as line ${firstLine}; only the first is kept`,
            `与第 ${firstLine} 行邮箱重复，仅保留第一条`,
          ),
        },
        values,
      });
      continue;
    }
    firstLineOfEmail.set(key, record.line);
    result.good.push({ line: record.line, customer: checked.value });
  }

  if (parsed.unclosedQuoteLine !== undefined) {
    result.fileErrors.push(
      message(
        `Line ${parsed.unclosedQuoteLine}: a quote (") is never closed, so nothing from this line on was read`,
        `第 ${parsed.unclosedQuoteLine} 行：引号（"）未闭合，此行及以后的内容未被读取`,
      ),
    );
  }
  return result;
}

function isBlank(fields: readonly string[]): boolean {
  return fields.every((field) => field.trim() === '');
}

/** `line 7: email: Not a valid email address / 邮箱地址无效`, for the import's report. */
export function describeBadRow(row: BadCustomerRow): string {
  const problems = Object.entries(row.errors).map(([field, text]) =>
    field === '_' ? text : `${field}: ${text}`,
  );
  return `line ${row.line} / 第 ${row.line} 行: ${problems.join('; ')}`;
}
