/**
 * The survey by phone, fax and post on the local host: customers imported with their
 * channel, the campaign listing them (no mail) beside the email customers it mails, staff
 * entering answers in the console, a second answer refused whichever channel came first,
 * the printable forms and call lists, and the tally counting every channel once.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { appendCaseEvent } from '#functions/data/cases.ts';
import { getInvitation, invitationsOf } from '#functions/data/surveys.ts';
import { offlineCustomerAddress } from '#functions/domain/survey-channels.ts';
import { importCustomers } from '#functions/services/customer-registry.ts';
import { erasePersonalData } from '#functions/services/privacy-erase.ts';
import { surveyTally } from '#functions/services/survey-results.ts';
import { businessYear } from '#functions/shared/clock.ts';
import { repositoryRoot } from '#infra/local/lambda-runtime.ts';
import { postJson, sentEmails, useTestHost, waitFor } from '#test/support/local-host.ts';
import { addStaff, type CookieJar, request, signIn } from '#test/support/staff.ts';

const run = promisify(execFile);
const year = businessYear(new Date());
const host = useTestHost({ settings: { SURVEY_SEND_RATE_PER_SECOND: '200' } });

const phoneCustomer = offlineCustomerAddress('phone', '+86 20 8888 0001');
const postCustomer = offlineCustomerAddress('post', 'Hauptstraße 1\n10115 Berlin');
const csv = [
  'company,name,email,market,region,language,survey_channel,phone,fax,address',
  '南方铝业有限公司,陈工,chen@nanfang.example,domestic,广东,,,,,',
  '东方门窗,刘经理,liu@dongfang.example,domestic,江苏,,,,,',
  '华南五金厂,王强,,domestic,广东,,phone,+86 20 8888 0001,,',
  '北方建材,赵六,zhao@beifang.example,domestic,北京,,fax,,+86 10 6666 0002,',
  'Berlin Fenster GmbH,Hans Weber,,export,DE,en,post,,,"Hauptstraße 1\n10115 Berlin"',
  'Broken,没有号码,,domestic,广东,,phone,,,',
].join('\r\n');

const ratings = (value: string) => ({
  productQuality: value,
  delivery: value,
  documents: value,
  goodsAccuracy: value,
  afterSalesService: value,
  overall: value,
});

async function enter(jar: CookieJar, customer: string, channel: string, value: string) {
  return request(host(), `/staff/surveys/${year}/answers`, {
    jar,
    form: {
      csrf: jar.get('aftercare_csrf') ?? '',
      customer,
      channel,
      ...ratings(value),
      recommend: '8',
      suggestions: `${channel} 建议`,
    },
  });
}

describe('the survey by phone, fax and post', () => {
  let sales: CookieJar;
  let exportDesk: CookieJar;

  it('imports channels, reports a channel without its number by line, and lists offline customers without mailing them', async () => {
    const report = await importCustomers(new TextEncoder().encode(csv), new Date().toISOString());
    expect(report.created).toBe(5);
    expect(report.bad.map((row) => [row.line, Object.keys(row.errors)])).toEqual([[8, ['phone']]]);

    const fired = await host().fire('survey-campaign');
    expect(fired).toMatchObject({ started: true, queued: 2, offline: 3 });
    await waitFor(async () => {
      const sent = (await invitationsOf(year)).filter((invitation) => invitation.sentAt);
      return sent.length >= 2 ? true : undefined;
    }, 'the two email invitations');
    const again = await host().fire('survey-campaign');
    expect(again).toMatchObject({ queued: 0, offline: 0 });

    const phone = await getInvitation(year, phoneCustomer);
    expect(phone).toMatchObject({
      channel: 'phone',
      phone: '+86 20 8888 0001',
      company: '华南五金厂',
    });
    expect(phone?.code).toMatch(/^\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(phone?.sentAt).toBeUndefined();
    const mailed = (await sentEmails(host())).flatMap((mail) => mail.destination.to);
    expect(mailed).not.toContain('zhao@beifang.example');
    expect(mailed.some((address) => address.endsWith('.invalid'))).toBe(false);
  });

  it('lets the owning department find a customer by name, company or code and enter the answer', async () => {
    await addStaff(host(), { email: 'sales@maker.example', name: '销售小李', roles: ['sales'] });
    await addStaff(host(), {
      email: 'export@maker.example',
      name: 'Export Desk',
      roles: ['export'],
    });
    sales = (await signIn(host(), 'sales@maker.example')).jar;
    exportDesk = (await signIn(host(), 'export@maker.example')).jar;
    const code = (await getInvitation(year, phoneCustomer))?.code ?? '';
    const current = await request(host(), '/staff/surveys?lang=en', { jar: sales });
    expect(current.status).toBe(303);
    expect(current.headers.get('location')).toBe(`/staff/surveys/${year}?lang=en`);
    expect((await request(host(), '/staff/surveys/19x7', { jar: sales })).status).toBe(404);

    for (const q of ['华南五金', '王强', code.toLowerCase().replaceAll('-', ' ')]) {
      const page = await request(host(), `/staff/surveys/${year}?q=${encodeURIComponent(q)}`, {
        jar: sales,
      });
      expect(page.status).toBe(200);
      const text = await page.text();
      expect(text).toContain('华南五金厂');
      expect(text).not.toContain('Berlin Fenster');
    }
    const form = await request(
      host(),
      `/staff/surveys/${year}?customer=${encodeURIComponent(phoneCustomer)}`,
      { jar: sales },
    );
    expect(await form.text()).toContain('name="productQuality"');

    const phone = await enter(sales, phoneCustomer, 'phone', '4');
    expect(phone.status).toBe(303);
    expect(await getInvitation(year, phoneCustomer)).toMatchObject({
      answerChannel: 'phone',
      enteredBy: { email: 'sales@maker.example', name: '销售小李' },
      answer: { recommend: 8, ratings: { overall: 4 } },
    });
    // Sales may not enter an export customer's answer; export may.
    expect((await enter(sales, postCustomer, 'post', '2')).status).toBe(403);
    expect((await enter(exportDesk, postCustomer, 'post', '2')).status).toBe(303);
  });

  it('refuses a second answer for the same customer and year, also when the email answer came first', async () => {
    const second = await enter(sales, phoneCustomer, 'post', '1');
    expect(second.status).toBe(409);
    expect(await second.text()).toContain('每位客户每年只记录一份');
    expect((await getInvitation(year, phoneCustomer))?.answer?.ratings.overall).toBe(4);

    const mail = (await sentEmails(host())).find((sent) =>
      sent.destination.to.includes('chen@nanfang.example'),
    );
    const link =
      /(http:\/\/localhost:\d+\/survey\/[A-Za-z0-9_-]{43})/.exec(mail?.body.text ?? '')?.[1] ?? '';
    const byLink = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...ratings('5'), recommend: '10' }).toString(),
    });
    expect(byLink.status).toBe(200);
    const late = await enter(sales, 'chen@nanfang.example', 'phone', '1');
    expect(late.status).toBe(409);
    expect(await late.text()).toContain('邮件');
    expect((await getInvitation(year, 'chen@nanfang.example'))?.answerChannel).toBeUndefined();
  });

  it('prints the department’s questionnaires and call list, in the console and with npm run survey:forms', async () => {
    const phoneCode = (await getInvitation(year, phoneCustomer))?.code ?? '';
    const forms = await request(host(), `/staff/surveys/${year}/forms?department=sales`, {
      jar: sales,
    });
    expect(forms.status).toBe(200);
    const formsText = await forms.text();
    expect(formsText).toContain(phoneCode);
    expect(formsText).toContain('北方建材');
    expect(formsText).not.toContain('Berlin Fenster');
    expect(
      (await request(host(), `/staff/surveys/${year}/forms?department=export`, { jar: sales }))
        .status,
    ).toBe(403);
    const calls = await request(
      host(),
      `/staff/surveys/${year}/calls?department=sales&format=csv`,
      { jar: sales },
    );
    const callsText = await calls.text();
    expect(callsText).toContain(`${phoneCode},华南五金厂,王强`);
    expect(callsText).not.toContain('北方建材');

    const env = { ...process.env, AFTERCARE_DATA_DIR: host().dataDir };
    const node = join(repositoryRoot, 'node_modules/.bin/node');
    const out = join(host().dataDir, 'forms');
    const script = join(repositoryRoot, 'infra/local/survey-forms.ts');
    const { stdout } = await run(node, [script, '--year', String(year), '--out', out], { env });
    expect(stdout).toContain('sales: 2 questionnaires, 1 to call.');
    expect(stdout).toContain('export: 1 questionnaires, 0 to call.');
    expect(await readFile(join(out, `survey-forms-${year}-export.html`), 'utf8')).toContain(
      'Berlin Fenster GmbH',
    );
  });

  it('counts the phone and posted answers once each beside the email one, split by channel', async () => {
    const tally = await surveyTally(year);
    expect(tally.invited).toBe(5);
    expect(tally.responses).toBe(3);
    expect(tally.byChannel.phone).toMatchObject({ invited: 1, responses: 1, responseRate: 1 });
    expect(tally.byChannel.post).toMatchObject({ invited: 1, responses: 1, satisfactionIndex: 25 });
    expect(tally.byChannel.email).toMatchObject({ invited: 2, responses: 1, responseRate: 0.5 });
    expect(tally.byChannel.fax).toMatchObject({ invited: 1, responses: 0 });
  });

  it('shows one customer: profile, complaints with how they ended, survey answers; and splits the report by complaint', async () => {
    const filed = await postJson(host(), '/complaints', {
      customer: {
        name: '刘经理',
        company: '东方门窗',
        email: 'liu@dongfang.example',
        market: 'domestic',
        region: '江苏',
      },
      category: 'delivery',
      subject: '第 7 批交货延误',
      description: '合同约定 3 月 1 日交货，实际 3 月 9 日到货。',
    });
    expect(filed.status).toBe(202);
    const { id, reference } = z.parse(
      z.object({ id: z.string(), reference: z.string() }),
      await filed.json(),
    );
    // Seeded: the customer's answer to our response, as the feedback link records it.
    await appendCaseEvent({
      complaintId: id,
      version: 1,
      type: 'customer_answer',
      at: new Date().toISOString(),
      actor: { kind: 'customer' },
      fields: { answer: 'satisfied' },
      state: { status: 'closed', version: 1 },
    });
    expect((await enter(sales, 'liu@dongfang.example', 'phone', '5')).status).toBe(303);

    const page = await request(
      host(),
      `/staff/customers/${encodeURIComponent('liu@dongfang.example')}`,
      { jar: sales },
    );
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain(reference);
    expect(text).toContain('对处理满意');
    expect(text).toContain('第 7 批交货延误');
    expect(text).toMatch(new RegExp(`<td>${year}</td><td>[^<]*<br>电话问答 · 销售小李`));
    const search = await (
      await request(host(), `/staff/customers?q=${encodeURIComponent('东方')}`, { jar: sales })
    ).text();
    expect(search).toContain(`/staff/customers/liu%40dongfang.example`);
    expect(search).not.toContain('nanfang');
    const unknown = await request(host(), '/staff/customers/nobody%40nowhere.example', {
      jar: sales,
    });
    expect(unknown.status).toBe(404);

    const tally = await surveyTally(year);
    expect(tally.byComplaint.satisfied).toMatchObject({ responses: 1, satisfactionIndex: 100 });
    expect(tally.byComplaint.none.responses).toBe(3);
  });

  it('erasing a post customer keeps how they were surveyed and answered, not their address', async () => {
    await erasePersonalData({ email: postCustomer, by: 'test', dryRun: false, now: new Date() });
    expect(await getInvitation(year, postCustomer)).toBeUndefined();
    const erased = (await invitationsOf(year)).find((invitation) =>
      invitation.email.startsWith('erased-'),
    );
    expect(erased).toMatchObject({ channel: 'post', answerChannel: 'post' });
    expect(JSON.stringify(erased)).not.toContain('Hauptstraße');
    expect(JSON.stringify(erased)).not.toContain('Export Desk');
    const tally = await surveyTally(year);
    expect(tally.byChannel.post).toMatchObject({ invited: 1, responses: 1 });
  });
});
