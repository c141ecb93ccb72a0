/**
 * The yearly survey end to end on the local host: imported customers, the campaign fired
 * twice, personal links answered over HTTP, reminders to non-responders only, the close and
 * its report. Mail is read from aws-ses-v2-local's store; the table through the real SDK.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '#functions/data/keys.ts';
import { getCampaign, getInvitation, invitationsOf } from '#functions/data/surveys.ts';
import { surveyTokenDigest } from '#functions/domain/survey-token.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { businessYear } from '#functions/shared/clock.ts';
import { localTableName } from '#infra/local/host.ts';
import { repositoryRoot } from '#infra/local/lambda-runtime.ts';
import { type SentEmail, sentEmails, useTestHost, waitFor } from '#test/support/local-host.ts';

const run = promisify(execFile);
const year = businessYear(new Date());
const customerCount = 50;
const host = useTestHost({
  settings: {
    SURVEY_SEND_RATE_PER_SECOND: '200',
    // About two seconds between mails to one customer, so reminders can be seen here.
    SURVEY_REMINDER_INTERVAL_DAYS: String(2 / 86_400),
    SURVEY_MAX_REMINDERS: '2',
  },
});

const customerEmail = (index: number) =>
  `buyer${String(index).padStart(2, '0')}@customer${index}.example`;

function customersCsv(): string {
  const rows = ['company,name,email,market,region,language'];
  for (let index = 1; index <= customerCount; index++) {
    const domestic = index % 3 !== 0;
    rows.push(
      domestic
        ? `华东建材${index}有限公司,客户${index},${customerEmail(index)},domestic,${index % 2 ? '浙江' : '江苏'},`
        : `"Trading ${index}, Ltd",Buyer ${index},${customerEmail(index)},export,${index % 2 ? 'DE' : 'AU'},en`,
    );
  }
  rows.push('Broken Row,,not-an-address,mars,,');
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}

async function surveyMails(): Promise<SentEmail[]> {
  return (await sentEmails(host())).filter((mail) => /满意|satisfaction/i.test(mail.subject));
}

function linkIn(mail: SentEmail): string {
  const match = /(http:\/\/localhost:\d+\/survey\/[A-Za-z0-9_-]{43})/.exec(mail.body.text ?? '');
  if (!match?.[1]) throw new Error(`no survey link in mail to ${mail.destination.to.join(',')}`);
  return match[1];
}

function mailsTo(mails: SentEmail[], address: string): SentEmail[] {
  return mails.filter((mail) => mail.destination.to.includes(address));
}

const answer = {
  productQuality: '5',
  delivery: '4',
  documents: '4',
  goodsAccuracy: '5',
  afterSalesService: '3',
  overall: '4',
  recommend: '9',
  suggestions: '希望缩短交货周期。<script>alert(1)</script>',
};

const postAnswer = (link: string, fields: Record<string, string> = answer) =>
  fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

describe('the yearly survey', () => {
  it('imports customers from a CSV, reporting bad rows by line and keeping the good ones', async () => {
    const file = join(host().dataDir, 'customers.csv');
    await writeFile(file, customersCsv());
    const env = { ...process.env, AFTERCARE_DATA_DIR: host().dataDir };
    const node = join(repositoryRoot, 'node_modules/.bin/node');
    const script = join(repositoryRoot, 'infra/local/customers-import.ts');
    const first = await run(node, [script, file], { env }).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(first.stdout).toContain(`${customerCount} added, 0 updated, 1 rows refused`);
    expect(first.stderr).toContain(`line ${customerCount + 2}`);
    const again = await run(node, [script, file], { env }).catch(
      (error: { stdout: string }) => error,
    );
    expect(again.stdout).toContain(`0 added, ${customerCount} updated`);
  });

  it('invites every customer exactly once, however often the campaign is fired', async () => {
    const first = (await host().fire('survey-campaign')) as { queued: number; started: boolean };
    expect(first).toMatchObject({ year, started: true, queued: customerCount });
    const mails = await waitFor(
      async () => {
        const found = await surveyMails();
        return found.length >= customerCount ? found : undefined;
        // Fifty paced mails: slow on a loaded machine; the wait ends as soon as they are out.
      },
      'the invitations',
      60_000,
    );
    const again = (await host().fire('survey-campaign')) as { queued: number; started: boolean };
    expect(again).toMatchObject({ started: false, queued: 0 });
    await host().drained();
    const after = await surveyMails();
    expect(after).toHaveLength(customerCount);
    const recipients = new Set(after.flatMap((mail) => mail.destination.to));
    expect(recipients.size).toBe(customerCount);
    // Each sender batch adds its mails to the campaign's count once it is done.
    expect(await getCampaign(year)).toMatchObject({ queued: customerCount, sent: customerCount });
    // Personal links: one token per customer.
    expect(new Set(mails.map(linkIn)).size).toBe(customerCount);
    const english = mailsTo(after, customerEmail(3))[0];
    expect(english?.subject).toMatch(/satisfaction/i);
    const chinese = mailsTo(after, customerEmail(1))[0];
    expect(chinese?.subject).toContain('满意');
  });

  it('shows the survey on GET without changing anything, and records a POST once', async () => {
    const address = customerEmail(1);
    const link = linkIn(mailsTo(await surveyMails(), address)[0] as SentEmail);
    const token = link.split('/').pop() as string;

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('用户满意情况调查表');
    expect((await getInvitation(year, address))?.answeredAt).toBeUndefined();

    const invalid = await postAnswer(link, { ...answer, overall: '7' });
    expect(invalid.status).toBe(400);
    expect((await getInvitation(year, address))?.answeredAt).toBeUndefined();

    const recorded = await postAnswer(link);
    expect(recorded.status).toBe(200);
    const invitation = await getInvitation(year, address);
    expect(invitation?.answer).toMatchObject({
      recommend: 9,
      ratings: { productQuality: 5, afterSalesService: 3 },
    });

    const second = await postAnswer(link, { ...answer, recommend: '0' });
    expect(second.status).toBe(409);
    expect((await getInvitation(year, address))?.answer?.recommend).toBe(9);
    expect(await (await fetch(link)).text()).toContain('已提交');
    expect(surveyTokenDigest(token)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers unknown and expired links with a clear page, not an error', async () => {
    const unknown = await fetch(`${host().url}/survey/${'A'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Please use the complete link');
    const garbage = await postAnswer(`${host().url}/survey/not-a-token`);
    expect(garbage.status).toBe(404);

    const address = customerEmail(2);
    const link = linkIn(mailsTo(await surveyMails(), address)[0] as SentEmail);
    const token = link.split('/').pop() as string;
    await documentClient().send(
      new UpdateCommand({
        TableName: localTableName,
        Key: keys.surveyToken(surveyTokenDigest(token)),
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': '2000-01-01T00:00:00.000Z' },
      }),
    );
    const expired = await postAnswer(link);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('调查已结束');
    expect((await getInvitation(year, address))?.answeredAt).toBeUndefined();
  });

  it('reminds only customers who have not answered, and stops at the limit', async () => {
    const remindersTo = async (address: string) => mailsTo(await surveyMails(), address).length - 1;
    const nonResponders = customerCount - 1;
    // Each round runs the daily schedule as if past the interval since the last mail, then
    // waits until every non-responder is reminded.
    const pastInterval = () => new Date(Date.now() + 2500);
    const remindRound = async (round: number) => {
      await host().fire('survey-daily', pastInterval());
      await waitFor(async () => {
        const reminded = (await invitationsOf(year)).filter(
          (invitation) => invitation.remindersSent >= round,
        );
        return reminded.length >= nonResponders ? true : undefined;
      }, `reminder round ${round}`);
    };
    await remindRound(1);
    await remindRound(2);
    await host().fire('survey-daily', pastInterval());
    await host().drained();

    expect(await remindersTo(customerEmail(1))).toBe(0);
    for (const index of [3, 17, 50]) expect(await remindersTo(customerEmail(index))).toBe(2);
    const invitations = await invitationsOf(year);
    expect(invitations.filter((invitation) => invitation.remindersSent === 2)).toHaveLength(
      nonResponders,
    );
    expect(invitations.some((invitation) => invitation.remindersSent > 2)).toBe(false);
  });

  it('closes after its period, refuses later answers and reports to gm and every department', async () => {
    await documentClient().send(
      new UpdateCommand({
        TableName: localTableName,
        Key: keys.surveyCampaign(year),
        UpdateExpression: 'SET closesAt = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
      }),
    );
    await host().fire('survey-daily');
    const reports = await waitFor(async () => {
      const found = (await sentEmails(host())).filter((mail) =>
        /统计结果|results/.test(mail.subject),
      );
      return found.length >= 6 ? found : undefined;
    }, 'the report emails');
    const recipients = reports.flatMap((mail) => mail.destination.to).sort();
    expect(recipients).toEqual(
      ['export', 'gm', 'office', 'production_vp', 'qc', 'sales'].map(
        (code) => `${code}@example.com`,
      ),
    );
    // The summary mail carries figures only: no customer's words, escaped or not.
    expect(reports[0]?.body.html).not.toContain('希望缩短交货周期');
    // It links to the whole report, in the staff console behind sign-in.
    expect(reports[0]?.body.text).toMatch(
      new RegExp(`http://localhost:\\d+/staff/survey/${year}/report`),
    );
    expect(reports[0]?.body.html).toContain(`/staff/survey/${year}/report"`);

    const late = mailsTo(await surveyMails(), customerEmail(5))[0] as SentEmail;
    const closed = await postAnswer(linkIn(late));
    expect(closed.status).toBe(410);

    await host().fire('survey-daily');
    await host().drained();
    const reportsAfter = (await sentEmails(host())).filter((mail) =>
      /统计结果|results/.test(mail.subject),
    );
    expect(reportsAfter).toHaveLength(6);
  });

  it('writes the report as CSV (UTF-8 with BOM) and HTML with charts', async () => {
    const out = join(host().dataDir, 'reports');
    const { stdout } = await run(
      join(repositoryRoot, 'node_modules/.bin/node'),
      [join(repositoryRoot, 'infra/local/survey-report.ts'), '--year', String(year), '--out', out],
      { env: { ...process.env, AFTERCARE_DATA_DIR: host().dataDir } },
    );
    expect(stdout).toContain(`1 answers from ${customerCount} invited customers`);
    const csv = await readFile(join(out, `survey-${year}.csv`));
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const page = await readFile(join(out, `survey-${year}.html`), 'utf8');
    expect(page).toContain('<svg');
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('希望缩短交货周期。&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
