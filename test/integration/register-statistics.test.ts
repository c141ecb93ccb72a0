/**
 * The register and statistics over real HTTP on the local host: complaints keyed in at
 * known dates, routed and handled through the staff API, then read back as register rows
 * (filters, paging), exported as CSV and XLSX through S3 (formula safety, BOM, headers,
 * frozen row, dates), counted as statistics (cached month summaries that follow changes)
 * and grouped into CAPA suggestions. Every export is in the export history.
 */
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildRegister } from '#functions/services/register.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { environmentNames } from '#functions/wiring.ts';
import { localTableName } from '#infra/local/host.ts';
import { sentEmails, useTestHost, validComplaint, waitFor } from '#test/support/local-host.ts';
import { waitUntilQueuesIdle } from '#test/support/notifications.ts';
import { addStaff, idTokenOf } from '#test/support/staff.ts';

const host = useTestHost();
const tokens: Record<string, string> = {};

const staff = {
  gm: { email: 'gm.reg@maker.example', name: '王总', roles: ['gm' as const] },
  sales: { email: 'sales.reg@maker.example', name: '张经营', roles: ['sales' as const] },
  qc: { email: 'qc.reg@maker.example', name: '李质检', roles: ['qc' as const] },
};
type Who = keyof typeof staff;

async function api(who: Who, path: string, body?: unknown) {
  const response = await fetch(`${host().url}/staff/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${tokens[who]}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // Decoded keeping a byte-order mark, so the test can see it.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: response.headers.get('content-type')?.includes('json')
      ? (JSON.parse(text) as Record<string, unknown>)
      : {},
  };
}

const day = 86_400_000;
const now = Date.now();
/** Noon China time `daysAgo` days back. */
function receivedAt(daysAgo: number): string {
  const date = new Date(now - daysAgo * day + 8 * 3_600_000).toISOString().slice(0, 10);
  return `${date}T12:00:00+08:00`;
}

async function keyIn(overrides: Record<string, unknown>, daysAgo: number): Promise<string> {
  const response = await api('gm', '/complaints', {
    ...validComplaint(overrides),
    channel: 'letter',
    receivedAt: receivedAt(daysAgo),
  });
  expect(response.status).toBe(202);
  return String(response.body.reference);
}

const refs: Record<string, string> = {};
const model = 'X-100';

function registerItems(body: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(body.items) ? body.items : [];
}

beforeAll(async () => {
  for (const [who, user] of Object.entries(staff)) {
    await addStaff(host(), user);
    tokens[who] = await idTokenOf(host(), user.email);
  }
  const withModel = (productModel: string) => ({
    order: { batchNo: '2026-118', productModel },
  });
  refs.a = await keyIn(withModel(model), 40);
  refs.b = await keyIn(withModel(model), 20);
  refs.c = await keyIn(withModel(model), 5);
  refs.injection = await keyIn(
    {
      subject: '=HYPERLINK("http://evil.example","click")',
      category: 'delivery',
      ...withModel('Y-7'),
    },
    3,
  );
  refs.export = await keyIn(
    {
      customer: {
        name: 'Jane Roe',
        company: 'Roe Windows Ltd',
        email: 'jane@roe.example',
        market: 'export',
        region: 'DE',
      },
      category: 'service',
      ...withModel('Z-9'),
    },
    2,
  );
  await waitUntilQueuesIdle(host());
  await waitFor(async () => {
    const { body } = await api('gm', '/register');
    return registerItems(body).length === 5 && registerItems(body).every((row) => row.owner)
      ? true
      : undefined;
  }, 'five routed register rows');
});

describe('the register', () => {
  it('lists one row per complaint, oldest first, with the register’s columns, to every role', async () => {
    const { status, body } = await api('qc', '/register');
    expect(status).toBe(200);
    const items = registerItems(body);
    expect(items.map((row) => row.reference)).toEqual([
      refs.a,
      refs.b,
      refs.c,
      refs.injection,
      refs.export,
    ]);
    expect(items[0]).toMatchObject({
      channel: 'letter',
      company: '华南门窗有限公司',
      customerName: '李明',
      market: 'domestic',
      category: 'quality',
      productModel: model,
      batchNo: '2026-118',
      owner: 'sales',
      status: 'routed',
      capaReferences: [],
      reopenCount: 0,
    });
    expect(items[0]?.departments).toEqual(expect.arrayContaining(['gm', 'sales', 'qc']));
  });

  it('filters by category, market, department, product model and period', async () => {
    const refsOf = async (query: string) =>
      registerItems((await api('sales', `/register?${query}`)).body).map((row) => row.reference);
    expect(await refsOf('category=quality')).toEqual([refs.a, refs.b, refs.c]);
    expect(await refsOf('market=export')).toEqual([refs.export]);
    expect(await refsOf('department=export')).toEqual([refs.export]);
    expect(await refsOf('productModel=Y-7')).toEqual([refs.injection]);
    expect(await refsOf('region=DE')).toEqual([refs.export]);
    const from = receivedAt(25).slice(0, 10);
    const to = receivedAt(4).slice(0, 10);
    expect(await refsOf(`from=${from}&to=${to}`)).toEqual([refs.b, refs.c]);
    expect((await api('sales', '/register?category=nonsense')).status).toBe(400);
    expect((await api('sales', '/register?from=2026-02-30')).status).toBe(400);
    expect((await api('sales', '/register?from=2026-05-01&to=2026-04-01')).status).toBe(400);
  });

  it('pages with a cursor through every row once, across months', async () => {
    const seen: unknown[] = [];
    let cursor: unknown = null;
    let pages = 0;
    do {
      const query: string = `limit=2${cursor ? `&cursor=${String(cursor)}` : ''}`;
      const { body } = await api('gm', `/register?${query}`);
      seen.push(...registerItems(body).map((row) => row.reference));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual([refs.a, refs.b, refs.c, refs.injection, refs.export]);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('follows the case: root cause, remedy, GM approval, dates, working days and satisfaction', async () => {
    const reference = refs.a ?? '';
    const act = (who: Who, body: Record<string, unknown>) =>
      api(who, `/complaints/${reference}/actions`, body);
    expect((await act('sales', { action: 'accept', version: 0 })).status).toBe(200);
    expect(
      (
        await act('qc', {
          action: 'investigate',
          version: 1,
          rootCause: '氧化槽温度失控',
          correctiveAction: '加装温控报警',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await act('sales', {
          action: 'propose',
          version: 2,
          remedy: { type: 'compensation', amount: 3000, currency: 'CNY' },
          response: { text: '赔偿 3000 元。' },
        })
      ).status,
    ).toBe(200);
    expect((await act('gm', { action: 'approve', version: 3 })).status).toBe(200);
    expect((await act('sales', { action: 'respond', version: 4 })).status).toBe(200);
    expect(
      (await act('sales', { action: 'close', version: 5, reason: '客户电话确认' })).status,
    ).toBe(200);
    const row = registerItems((await api('gm', `/register?productModel=${model}`)).body).find(
      (candidate) => candidate.reference === reference,
    );
    expect(row).toMatchObject({
      status: 'closed',
      rootCause: '氧化槽温度失控',
      correctiveAction: '加装温控报警',
      remedyType: 'compensation',
      remedyAmount: 3000,
      remedyCurrency: 'CNY',
      gmApproval: 'approved',
      respondedAt: expect.any(String),
      closedAt: expect.any(String),
      firstResponseAt: expect.any(String),
    });
    // Received 40 days ago: at least 20 working days of nine hours have passed.
    expect(row?.workingDaysToClose).toBeGreaterThan(20);
    expect(row?.workingDaysToClose).toBeLessThan(41);
  });
});

async function download(who: Who, query: string) {
  const answer = await api(who, `/register/export?${query}`);
  expect(answer.status).toBe(200);
  expect(answer.body.url).toEqual(expect.stringContaining('exports/'));
  const file = await fetch(String(answer.body.url));
  expect(file.status).toBe(200);
  return { answer: answer.body, bytes: Buffer.from(await file.arrayBuffer()) };
}

describe('exports', () => {
  it('writes a formula-safe CSV with a BOM and every row of the filter', async () => {
    const { answer, bytes } = await download('qc', 'format=csv');
    expect(answer.rows).toBe(5);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^编号 \/ Reference,收到日期 \/ Received,/);
    expect(lines).toHaveLength(6);
    // The subject starting with = is prefixed, so a spreadsheet shows it as text.
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(text).not.toMatch(/,=HYPERLINK/);
  });

  it('writes an XLSX with Chinese and English headers, a frozen header row, widths and real dates', async () => {
    const { answer, bytes } = await download('gm', 'format=xlsx&category=quality');
    expect(answer.rows).toBe(3);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    expect(sheet.getCell('A1').value).toBe('编号\nReference');
    expect(sheet.getCell('B1').value).toBe('收到日期\nReceived');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(1).width).toBe(16);
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getCell('A2').value).toBe(refs.a);
    const received = sheet.getCell('B2').value;
    expect(received).toBeInstanceOf(Date);
    // China wall-clock noon, as keyed in.
    expect(received instanceof Date ? received.getUTCHours() : -1).toBe(12);
    expect(sheet.getCell('B2').numFmt).toBe('yyyy-mm-dd hh:mm');
  });

  it('logs who exported what, when, and shows it on the register page', async () => {
    const response = await fetch(`${host().url}/staff/register`, {
      headers: { authorization: `Bearer ${tokens.gm}` },
    });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('导出记录');
    expect(page).toContain(staff.qc.email);
    expect(page).toContain('register · csv');
    expect(page).toContain('category=quality');
  });
});

describe('statistics', () => {
  it('counts the period by category, model, market, department and channel, with Pareto and trend', async () => {
    const { status, body } = await api('qc', '/statistics');
    expect(status).toBe(200);
    expect(body.total).toBe(5);
    expect(body.byCategory).toEqual([
      { key: 'quality', count: 3 },
      { key: 'delivery', count: 1 },
      { key: 'service', count: 1 },
    ]);
    expect(body.paretoProductModels).toEqual([
      { key: model, count: 3, share: 0.6, cumulative: 0.6 },
      { key: 'Y-7', count: 1, share: 0.2, cumulative: 0.8 },
      { key: 'Z-9', count: 1, share: 0.2, cumulative: 1 },
    ]);
    expect(body.byMarket).toEqual([
      { key: 'domestic', count: 4 },
      { key: 'export', count: 1 },
    ]);
    expect(body.byChannel).toEqual([{ key: 'letter', count: 5 }]);
    expect(body.byDepartment).toEqual(expect.arrayContaining([{ key: 'gm', count: 5 }]));
    const trend = body.trend as { month: string; count: number }[];
    expect(trend).toHaveLength(12);
    expect(trend.reduce((sum, point) => sum + point.count, 0)).toBe(5);
    expect(body.compensation).toEqual([{ currency: 'CNY', total: 3000, count: 1 }]);
    expect(body.firstResponseOnTime).toMatchObject({ of: 1 });
    expect(body.closeHours).toMatchObject({ count: 1 });
    expect(body.reopened).toEqual({ part: 0, of: 5, share: 0 });
  });

  it('proposes a CAPA for three complaints of one category and model within 90 days', async () => {
    const { body } = await api('gm', '/statistics');
    expect(body.suggestions).toEqual([
      expect.objectContaining({
        category: 'quality',
        productModel: model,
        references: [refs.a, refs.b, refs.c],
      }),
    ]);
    const page = await (
      await fetch(`${host().url}/staff/statistics`, {
        headers: { authorization: `Bearer ${tokens.gm}` },
      })
    ).text();
    expect(page).toContain(
      `/staff/capa/new?complaints=${refs.a},${refs.b},${refs.c}&amp;category=quality&amp;productModel=${model}`,
    );
    expect(page).toContain('<svg');
  });

  it('reads cached month summaries, and a summary follows the complaints that change', async () => {
    const first = await api('gm', '/statistics');
    const again = await api('gm', '/statistics');
    const cost = again.body.cost as { cachedMonths: number; monthsRead: number; rowsRead: number };
    // Twelve months to today and the suggestions' window: all from cached summaries, no rows.
    expect(cost).toMatchObject({ monthsRead: 0, rowsRead: 0 });
    expect(cost.cachedMonths).toBeGreaterThanOrEqual(12);
    expect(again.body.total).toBe(first.body.total);
    await keyIn({ category: 'delivery', ...{ order: { productModel: 'Y-7' } } }, 1);
    await waitUntilQueuesIdle(host());
    await waitFor(async () => {
      const { body } = await api('gm', '/statistics');
      return body.total === 6 ? body : undefined;
    }, 'the new complaint counted');
    // Only the month that changed was read again.
    const after = await api('gm', '/statistics');
    expect(after.body.cost).toMatchObject({ monthsRead: 0, rowsRead: 0 });
  });

  it('gives the same figures as CSV with a BOM, and logs the download', async () => {
    const { status, headers, text } = await api('gm', '/statistics?format=csv');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/csv');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain(`category,quality,3`);
    expect(text).toContain('compensation,CNY,3000,1');
  });
});

describe('the GM’s daily digest', () => {
  it('proposes the CAPA with a link to the prefilled form; a person decides', async () => {
    await host().fire('case-daily', new Date());
    const digests = (await sentEmails(host())).filter((email) =>
      email.subject.startsWith('逾期投诉日报'),
    );
    expect(digests).toHaveLength(1);
    const text = digests[0]?.body.text ?? '';
    expect(text).toContain('CAPA suggested (you decide): 1');
    expect(text).toContain(
      `/staff/capa/new?complaints=${refs.a},${refs.b},${refs.c}&category=quality&productModel=${model}`,
    );
  });
});

describe('rebuilding the register', () => {
  it('writes back a row that is missing, by reference, without a Scan', async () => {
    const month = receivedAt(20).slice(0, 7);
    const partition = await documentClient().send(
      new QueryCommand({
        TableName: localTableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :row)',
        ExpressionAttributeValues: { ':pk': `REGISTER#${month}`, ':row': 'ROW#' },
      }),
    );
    const item = partition.Items?.find((candidate) => candidate.reference === refs.b);
    if (!item) throw new Error('no row');
    await documentClient().send(
      new DeleteCommand({ TableName: localTableName, Key: { pk: item.pk, sk: item.sk } }),
    );
    const missing = registerItems((await api('gm', '/register')).body).map((row) => row.reference);
    expect(missing).not.toContain(refs.b);
    process.env[environmentNames.tableName] = localTableName;
    let rows = 0;
    for (const year of new Set(
      Object.values(refs).map((reference) => Number(reference.slice(3, 7))),
    )) {
      const rebuilt = await rebuildRegister(year);
      expect(rebuilt.gaps).toBe(0);
      rows += rebuilt.rows;
    }
    expect(rows).toBe(6);
    const back = registerItems((await api('gm', '/register')).body).map((row) => row.reference);
    expect(back).toContain(refs.b);
    expect(back).toHaveLength(6);
  });
});
