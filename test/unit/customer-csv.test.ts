import { describe, expect, it } from 'vitest';
import {
  describeBadRow,
  parseCsv,
  parseCustomerCsv,
  parseCustomerRecord,
} from '#functions/contract/customer-csv.ts';

const header = 'company,name,email,market,region,language';
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('RFC 4180 records', () => {
  it('reads quoted commas, doubled quotes and line breaks inside quotes', () => {
    const { records } = parseCsv('a,"b, ""c""",d\r\n"line one\r\nline two",x,\r\n');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b, "c"', 'd'] },
      { line: 2, fields: ['line one\r\nline two', 'x', ''] },
    ]);
  });

  it('counts lines across LF, CRLF and CR endings and multi-line fields', () => {
    const { records } = parseCsv('h\n"1\n2"\r\nthree\rfour');
    expect(records.map((r) => r.line)).toEqual([1, 2, 4, 5]);
  });

  it('keeps a stray quote inside an unquoted field as text', () => {
    expect(parseCsv('5" profile,x').records[0]?.fields).toEqual(['5" profile', 'x']);
  });

  it('flags text after a closing quote and reports an unclosed quote', () => {
    expect(parseCsv('"a"b,c').records[0]?.problem).toMatch(/closing quote/);
    expect(parseCsv('ok\n"never closed,x\nmore')).toEqual({
      records: [{ line: 1, fields: ['ok'] }],
      unclosedQuoteLine: 2,
    });
  });

  it('drops a leading BOM', () => {
    expect(parseCsv('\uFEFFcompany').records[0]?.fields).toEqual(['company']);
  });
});

describe('customer CSV', () => {
  const file = [
    header,
    '广州门窗厂,张三,zhang@example.cn,domestic,广东省,',
    '"Fenster GmbH, Berlin",Anna Schmidt,anna@example.de,export,de,en',
    '苏州建材,李四,li@example.cn,国内,Jiangsu,英文',
    'Bad Co,Nobody,not-an-email,domestic,广东,zh',
    'Mars Ltd,Zed,zed@example.com,export,Mars,en',
    ',,,,,',
    'Again,张三,ZHANG@example.cn,domestic,GD,zh',
    'Nowhere,Wang,wang@example.cn,domestic,CN,zh',
    'Local,Liu,liu@example.cn,export,CN,zh',
    '',
  ].join('\r\n');

  it('keeps good rows with the region normalised as intake does', () => {
    const result = parseCustomerCsv(utf8(`\uFEFF${file}`));
    expect(result.fileErrors).toEqual([]);
    expect(result.good).toEqual([
      {
        line: 2,
        customer: {
          company: '广州门窗厂',
          name: '张三',
          email: 'zhang@example.cn',
          market: 'domestic',
          region: 'CN-GD',
          language: 'zh',
        },
      },
      {
        line: 3,
        customer: {
          company: 'Fenster GmbH, Berlin',
          name: 'Anna Schmidt',
          email: 'anna@example.de',
          market: 'export',
          region: 'DE',
          language: 'en',
        },
      },
      {
        line: 4,
        customer: {
          company: '苏州建材',
          name: '李四',
          email: 'li@example.cn',
          market: 'domestic',
          region: 'CN-JS',
          language: 'en',
        },
      },
    ]);
  });

  it('reports bad rows by line with bilingual messages, skipping blank rows', () => {
    const { bad } = parseCustomerCsv(utf8(file));
    expect(bad.map((row) => [row.line, Object.keys(row.errors)])).toEqual([
      [5, ['email']],
      [6, ['region']],
      [8, ['email']],
      [9, ['region']],
      [10, ['region']],
    ]);
    expect(bad[0]?.errors.email).toBe('Not a valid email address / 邮箱地址无效');
    expect(bad[1]?.errors.region).toMatch(/ISO country code.*国家代码/);
    expect(bad[3]?.errors.region).toMatch(/Chinese province.*省份/);
    expect(bad[0]?.values.email).toBe('not-an-email');
  });

  it('reports a repeated email on the later line, whatever its case', () => {
    const row = parseCustomerCsv(file).bad.find((r) => r.line === 8);
    expect(row?.errors.email).toBe(
      'Same email as line 2; only the first is kept / 与第 2 行邮箱重复，仅保留第一条',
    );
    expect(describeBadRow(row ?? { line: 0, errors: {}, values: {} })).toBe(
      'line 8 / 第 8 行: email: Same email as line 2; only the first is kept / 与第 2 行邮箱重复，仅保留第一条',
    );
  });

  it('reads the same with or without a BOM, from text or bytes', () => {
    const withBom = parseCustomerCsv(utf8(`\uFEFF${file}`));
    expect(parseCustomerCsv(utf8(file))).toEqual(withBom);
    expect(parseCustomerCsv(`\uFEFF${file}`)).toEqual(withBom);
  });

  it('takes the columns in any order and ignores unknown ones', () => {
    const result = parseCustomerCsv(
      'Email,Region,Market,Name,Phone,Mobile\nli@example.cn,上海,domestic,李四,021-1234-5678,139\n',
    );
    expect(result.ignoredColumns).toEqual(['Mobile']);
    expect(result.good[0]?.customer).toEqual({
      name: '李四',
      email: 'li@example.cn',
      market: 'domestic',
      region: 'CN-SH',
      language: 'zh',
      phone: '021-1234-5678',
    });
  });

  it('refuses a file whose header lacks columns, naming them', () => {
    const result = parseCustomerCsv(
      'company;name;email;market;region;language\nx;y;z;domestic;GD;zh',
    );
    expect(result.good).toEqual([]);
    expect(result.fileErrors[0]).toMatch(/lacks the columns name, email, market, region/);
    expect(result.fileErrors[0]).toMatch(/表头缺少列/);
  });

  it('refuses an empty file and a repeated column', () => {
    expect(parseCustomerCsv('\r\n\r\n').fileErrors[0]).toMatch(/empty.*为空/);
    expect(parseCustomerCsv(`${header},email\n`).fileErrors[0]).toMatch(/"email" appears twice/);
  });

  it('refuses a file that is not UTF-8, such as Excel saves in GBK or UTF-16', () => {
    const gbk = Uint8Array.from([0x63, 0x6f, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd]); // "co\n张三" in GBK
    expect(parseCustomerCsv(gbk).fileErrors[0]).toMatch(/not UTF-8.*UTF-8 编码/);
    const utf16 = Uint8Array.from([0xff, 0xfe, 0x63, 0x00]);
    expect(parseCustomerCsv(utf16).fileErrors).toHaveLength(1);
  });

  it('reports rows with more cells than the header, and malformed quoting', () => {
    const result = parseCustomerCsv(
      `${header}\nA,B,b@example.cn,domestic,GD,zh,extra\nA,"B"x,c@example.cn,domestic,GD,zh\nA,B,d@example.cn,domestic,GD,zh,,\n`,
    );
    expect(result.bad.map((r) => [r.line, r.errors._])).toEqual([
      [2, 'More cells than the 6 columns of the header / 单元格数多于表头的 6 列'],
      [3, 'Unexpected text after a closing quote / 引号结束后还有多余的文字'],
    ]);
    // Empty trailing cells, as some tools write, are harmless.
    expect(result.good.map((r) => r.line)).toEqual([4]);
  });

  it('keeps the rows before an unclosed quote and says where reading stopped', () => {
    const result = parseCustomerCsv(
      `${header}\nA,B,b@example.cn,domestic,GD,zh\n"A,B,c@example.cn,domestic,GD,zh\n`,
    );
    expect(result.good.map((r) => r.line)).toEqual([2]);
    expect(result.fileErrors[0]).toMatch(/Line 3: a quote.*第 3 行/);
  });

  it('validates fields as intake does: lengths, single lines, required values', () => {
    const result = parseCustomerCsv(
      `${header}\n${'x'.repeat(201)},B,b@example.cn,domestic,GD,zh\nA,"two\nlines",c@example.cn,domestic,GD,zh\nA,,d@example.cn,,GD,fr\n`,
    );
    expect(result.bad.map((r) => [r.line, r.errors])).toEqual([
      [2, { company: 'At most 200 characters / 最多 200 个字符' }],
      [3, { name: 'Must be a single line / 不能换行' }],
      [
        5,
        {
          name: 'Required / 必填',
          market: 'Must be one of: domestic, export / 须为以下之一：domestic、export',
          language: 'Must be one of: zh, en / 须为以下之一：zh、en',
        },
      ],
    ]);
  });
});

describe('customer record', () => {
  it('defaults the language by market', () => {
    const result = parseCustomerRecord({
      name: 'Ann',
      email: 'ann@example.com',
      market: 'EXPORT',
      region: 'us',
    });
    expect(result).toEqual({
      ok: true,
      value: {
        name: 'Ann',
        email: 'ann@example.com',
        market: 'export',
        region: 'US',
        language: 'en',
      },
    });
  });
});

describe('survey channels in the customer CSV', () => {
  const channelHeader =
    'company,name,email,market,region,language,survey_channel,phone,fax,address';

  it('reads phone, fax and post customers, with or without an email address', () => {
    const result = parseCustomerCsv(
      [
        channelHeader,
        '华南五金,王强,,domestic,广东,,电话,+86 20 1234 5678,,',
        'Fax GmbH,Hans,hans@fax.example,export,DE,,fax,,+49 30 123456,',
        '"北方建材",赵六,,domestic,北京,,post,,,"北京市朝阳区建国路 1 号\n100020"',
        'Mail Ltd,Ann,ann@mail.example,export,GB,,,,,',
      ].join('\n'),
    );
    expect(result.bad).toEqual([]);
    const [phone, fax, post, email] = result.good.map((row) => row.customer);
    expect(phone).toMatchObject({ surveyChannel: 'phone', phone: '+86 20 1234 5678' });
    expect(phone?.email).toMatch(/^phone-[0-9a-f]{16}@offline\.invalid$/);
    expect(fax).toMatchObject({ surveyChannel: 'fax', email: 'hans@fax.example' });
    expect(post).toMatchObject({
      surveyChannel: 'post',
      postalAddress: '北京市朝阳区建国路 1 号\n100020',
    });
    expect(email?.surveyChannel).toBeUndefined();
    // The same row imported again finds the same registry entry.
    const again = parseCustomerCsv(
      `${channelHeader}\n华南五金,王强,,domestic,广东,,phone,+86 20 1234 5678,,`,
    );
    expect(again.good[0]?.customer.email).toBe(phone?.email);
  });

  it('reports by line a channel without its number or address, and a row with no way to reach it', () => {
    const result = parseCustomerCsv(
      [
        channelHeader,
        'A,甲,,domestic,广东,,phone,,,',
        'B,乙,,domestic,广东,,fax,,not a number,',
        'C,丙,,domestic,广东,,,,,',
        'D,丁,d@example.cn,domestic,广东,,pigeon,,,',
        'E,戊,,domestic,广东,,post,,,',
      ].join('\n'),
    );
    expect(result.good).toEqual([]);
    expect(result.bad.map((row) => [row.line, Object.keys(row.errors)])).toEqual([
      [2, ['phone']],
      [3, ['fax']],
      [4, ['email']],
      [5, ['survey_channel']],
      [6, ['address']],
    ]);
    expect(describeBadRow(result.bad[0] as (typeof result.bad)[number])).toMatch(
      /line 2.*phone: Required when survey_channel is phone/,
    );
  });
});
