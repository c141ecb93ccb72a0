/**
 * The management-review pack over real HTTP: a period with complaints (one a suggestion),
 * a CAPA closed as effective and one still open, and a year's survey answered; the page
 * shows each section with its figures, and the workbook (through the S3 link, as a browser
 * follows it) has one sheet each with the rows; the export is logged.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#functions/data/keys.ts';
import { recentExports } from '#functions/data/register.ts';
import { chinaDate } from '#functions/domain/register.ts';
import { ratingDimensions } from '#functions/domain/survey.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { businessYear } from '#functions/shared/clock.ts';
import { localTableName } from '#infra/local/host.ts';
import { postJson, useTestHost, validComplaint, waitFor } from '#test/support/local-host.ts';
import { waitUntilQueuesIdle } from '#test/support/notifications.ts';
import { addStaff, idTokenOf, request, signIn } from '#test/support/staff.ts';

const host = useTestHost();
let gmToken = '';
const today = chinaDate(new Date().toISOString());
const from = `${today.slice(0, 4)}-01-01`;
const year = businessYear(new Date());
const complaints: string[] = [];
let closedCapa = '';
let openCapa = '';

async function api(path: string, body?: unknown) {
  const response = await fetch(`${host().url}/staff/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${gmToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function seedSurvey(): Promise<void> {
  const put = (item: Record<string, unknown>) =>
    documentClient().send(new PutCommand({ TableName: localTableName, Item: item }));
  const at = new Date().toISOString();
  await put({
    ...keys.surveyCampaign(year),
    year,
    openedAt: at,
    closesAt: at,
    fanOutComplete: true,
    targeted: 2,
    queued: 2,
    sent: 2,
    failed: 0,
    responded: 2,
  });
  for (const [index, rating] of [4, 5].entries()) {
    const email = `buyer${index}@customer.example`;
    await put({
      ...keys.surveyInvitation(year, email),
      year,
      email,
      company: `华东建材${index}有限公司`,
      name: `客户${index}`,
      market: 'domestic',
      region: 'CN-ZJ',
      language: 'zh',
      createdAt: at,
      sentAt: at,
      remindersSent: 0,
      answeredAt: at,
      answer: {
        ratings: Object.fromEntries(ratingDimensions.map((dimension) => [dimension, rating])),
        recommend: 9,
        ...(index === 1 ? { suggestions: '希望提供电子版质保书' } : {}),
      },
    });
  }
}

beforeAll(async () => {
  await addStaff(host(), { email: 'gm@maker.example', name: '王总', roles: ['gm', 'qc'] });
  gmToken = await idTokenOf(host(), 'gm@maker.example');
  for (const overrides of [
    { order: { productModel: 'X-200' } },
    { order: { productModel: 'X-200' } },
    { category: 'suggestion', subject: '建议增加夜间送货' },
  ]) {
    const response = await postJson(host(), '/complaints', validComplaint(overrides));
    expect(response.status).toBe(202);
    complaints.push(String(((await response.json()) as { reference: string }).reference));
  }
  for (const reference of complaints) {
    await waitFor(async () => {
      const detail = await api(`/complaints/${reference}`);
      return detail.body.status === 'routed' ? true : undefined;
    }, `${reference} routed`);
  }
  await waitUntilQueuesIdle(host());
  const capaBody = (problem: string) => ({
    type: 'corrective',
    source: 'complaints',
    complaints: complaints.slice(0, 2),
    problem,
    rootCause: 'Glue temperature',
    actions: [{ description: 'Recalibrate', department: 'gm', dueDate: '2099-01-01' }],
    effectiveness: { method: 'Three months without', dueDate: '2099-06-01' },
  });
  closedCapa = String((await api('/capa', capaBody('Seams split (closed)'))).body.reference);
  openCapa = String((await api('/capa', capaBody('Seams split (open)'))).body.reference);
  const steps = [
    { action: 'approve_plan', version: 1 },
    { action: 'complete_action', version: 2, index: 0, result: 'Done' },
    { action: 'submit', version: 3 },
    { action: 'verify', version: 4, verdict: 'effective', evidence: 'None since' },
    { action: 'close', version: 5 },
  ];
  for (const step of steps) {
    expect((await api(`/capa/${closedCapa}/actions`, step)).status).toBe(200);
  }
  await seedSurvey();
});

describe('the management-review pack', () => {
  it('shows statistics against the previous period, the register, CAPA, the survey and the suggestions', async () => {
    const { jar } = await signIn(host(), 'gm@maker.example');
    const response = await request(host(), `/staff/review?from=${from}&to=${today}`, { jar });
    expect(response.status).toBe(200);
    const page = await response.text();
    for (const heading of [
      '1. 投诉统计 Complaint statistics',
      '2. 用户意见登记表摘要 Register summary',
      '3. 纠正预防措施 Corrective and preventive actions',
      `4. ${year} 用户满意情况调查表 Customer satisfaction survey`,
      '5. 收到的建议 Suggestions received',
    ]) {
      expect(page).toContain(heading);
    }
    expect(page).toMatch(/<td>投诉数 Complaints<\/td><td>3<\/td><td>0<\/td><td>\+3<\/td>/);
    for (const reference of complaints) expect(page).toContain(reference);
    expect(page).toContain('2 件已关联纠正预防措施 with a CAPA');
    expect(page).toMatch(new RegExp(`<td>${openCapa}</td>[\\s\\S]*<h3>本期关闭`));
    expect(page).toMatch(
      new RegExp(`<h3>本期关闭[\\s\\S]*<td>${closedCapa}</td>[\\s\\S]*有效 Effective`),
    );
    expect(page).toContain("Open at the period's end: 1");
    expect(page).toContain('希望提供电子版质保书');
    expect(page).toContain('建议增加夜间送货');
    expect(page).toContain('2 / 2 (100.0%)');
  });

  it('refuses a period that ends before it starts', async () => {
    expect((await api('/capa')).status).toBe(200);
    const { jar } = await signIn(host(), 'gm@maker.example');
    const response = await request(host(), `/staff/review?from=${today}&to=2020-01-01`, { jar });
    expect(response.status).toBe(400);
  });

  it('writes the workbook with a sheet each for register, statistics, CAPA and survey, and logs the export', async () => {
    const { jar } = await signIn(host(), 'gm@maker.example');
    const response = await request(host(), `/staff/review/workbook?from=${from}&to=${today}`, {
      jar,
    });
    expect(response.status).toBe(303);
    const file = await fetch(response.headers.get('location') ?? '');
    expect(file.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await file.arrayBuffer());
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      '登记表 Register',
      '统计 Statistics',
      '纠正预防 CAPA',
      '满意度调查 Survey',
    ]);
    const [register, statistics, capa, survey] = workbook.worksheets;
    expect(register?.rowCount).toBe(1 + complaints.length);
    expect(register?.getRow(2).getCell(1).value).toBe(complaints[0]);
    expect(statistics?.getRow(2).values).toEqual([undefined, '投诉数 Complaints', '3', '0', '+3']);
    expect(capa?.getColumn(1).values).toEqual([undefined, '编号\nReference', openCapa, closedCapa]);
    expect(survey?.getRow(4).values).toEqual([undefined, '答复 Responses', 2]);
    const logged = await recentExports(Number(today.slice(0, 4)), 10);
    expect(logged).toContainEqual(
      expect.objectContaining({
        by: { email: 'gm@maker.example', name: '王总' },
        what: 'review',
        format: 'xlsx',
        period: { from, to: today },
        rows: complaints.length,
      }),
    );
  });
});
