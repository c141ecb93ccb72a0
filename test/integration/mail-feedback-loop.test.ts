/**
 * SES's feedback loop end to end on the local host: `npm run ses:feedback` publishes SES's
 * own event record for the last mail to an address to the mail-event topic on fauxqs's SNS;
 * the topic → queue → `recordMailEvents` path marks the mail, suppresses the address, shows
 * the bounce on the complaint, tells the owner to phone, and the next campaign skips it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { getCustomer, upsertCustomer } from '#functions/data/customers.ts';
import { keys } from '#functions/data/keys.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { localTableName } from '#infra/local/host.ts';
import { repositoryRoot } from '#infra/local/lambda-runtime.ts';
import {
  postJson,
  sentEmails,
  useTestHost,
  validComplaint,
  waitFor,
} from '#test/support/local-host.ts';
import { waitUntilQueuesIdle } from '#test/support/notifications.ts';
import { addStaff, idTokenOf, request, signIn } from '#test/support/staff.ts';

const run = promisify(execFile);
const host = useTestHost({ settings: { SURVEY_SEND_RATE_PER_SECOND: '100' } });
const gone = 'gone@customer.example';
const fine = 'fine@customer.example';
const sales = { email: 'sales.lu@maker.example', name: '陆经营', roles: ['sales' as const] };

const feedback = (...args: string[]) =>
  run(process.execPath, ['infra/local/ses-feedback.ts', ...args], {
    cwd: repositoryRoot,
    env: { ...process.env, AFTERCARE_DATA_DIR: host().dataDir, TABLE_NAME: '' },
  });

async function marker(complaintId: string, notification: string) {
  const result = await documentClient().send(
    new GetCommand({
      TableName: localTableName,
      Key: keys.notification(complaintId, notification),
      ConsistentRead: true,
    }),
  );
  return result.Item;
}

describe('SES feedback, end to end', () => {
  let complaint: { id: string; reference: string };
  const posted = validComplaint({
    customer: { ...validComplaint().customer, email: gone, name: '退信客户' },
  });

  it('a hard bounce of the acknowledgement suppresses the address, marks the mail and the complaint, and tells the owner', async () => {
    const now = new Date().toISOString();
    for (const email of [gone, fine]) {
      await upsertCustomer(
        { email, market: 'domestic', region: 'CN-GD', language: 'zh' },
        'import',
        now,
      );
    }
    await addStaff(host(), sales);
    const response = await postJson(host(), '/complaints', posted);
    complaint = (await response.json()) as { id: string; reference: string };
    const acknowledgement = await waitFor(
      async () => (await sentEmails(host())).find((mail) => mail.destination.to.includes(gone)),
      'the acknowledgement',
    );
    // Nothing typed into the form reaches the address typed into it.
    for (const typed of [posted.customer.name, posted.subject, posted.description]) {
      expect(
        `${acknowledgement.subject}\n${acknowledgement.body.text}\n${acknowledgement.body.html}`,
      ).not.toContain(typed);
    }
    await waitUntilQueuesIdle(host());

    const { stdout } = await feedback('bounce', gone);
    expect(stdout).toContain(
      `Published SES's bounce (permanent) event for mail ${acknowledgement.messageId}`,
    );

    await waitFor(
      async () => ((await getCustomer(gone))?.deliverable === false ? true : undefined),
      'the address suppressed',
    );
    expect(await getCustomer(gone)).toMatchObject({ undeliverableReason: 'bounced' });
    const ack = await waitFor(async () => {
      const item = await marker(complaint.id, 'received:customer');
      return item?.deliveryOutcome === 'bounced' ? item : undefined;
    }, 'the acknowledgement marked bounced');
    expect(ack.lastEvent).toBe('Bounce');

    // The owner (sales, for a domestic customer) is told to phone.
    const ownerMail = await waitFor(
      async () =>
        (await sentEmails(host())).find(
          (mail) =>
            mail.destination.to.includes('sales@example.com') && /退回|bounced/.test(mail.subject),
        ),
      'the owner’s mail',
    );
    expect(ownerMail.subject).toContain(complaint.reference);
    expect(ownerMail.body.text).toContain(posted.customer.phone);

    // Staff see it on the complaint: the API and the console page.
    const token = await idTokenOf(host(), sales.email);
    const detail = (await (
      await fetch(`${host().url}/staff/api/complaints/${complaint.reference}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { customerMailBounce?: { notification: string }; history: { type: string }[] };
    expect(detail.customerMailBounce?.notification).toBe('received:customer');
    expect(detail.history.map((entry) => entry.type)).toContain('customer_mail_bounced');
    const { jar } = await signIn(host(), sales.email);
    const page = await (
      await request(host(), `/staff/complaints/${complaint.reference}`, { jar })
    ).text();
    expect(page).toContain('客户邮件被退回');
    expect(page).toContain('请改为电话联系客户');

    // A redelivered event changes nothing more: one mail to the owner.
    await feedback('bounce', gone);
    await waitUntilQueuesIdle(host());
    const ownerMails = (await sentEmails(host())).filter(
      (mail) => mail.destination.to.includes('sales@example.com') && /退回/.test(mail.subject),
    );
    expect(ownerMails).toHaveLength(1);
  });

  it('keeps the delivery of the customer’s mail, not of staff mail, and a transient bounce suppresses nothing', async () => {
    const response = await postJson(
      host(),
      '/complaints',
      validComplaint({ customer: { ...validComplaint().customer, email: fine, name: '收信客户' } }),
    );
    const reached = (await response.json()) as { id: string };
    await waitUntilQueuesIdle(host());
    // The last mails to these addresses are this complaint's alert and acknowledgement.
    await feedback('delivery', 'gm@example.com');
    await feedback('delivery', fine);
    await waitFor(async () => {
      const item = await marker(reached.id, 'received:customer');
      return item?.deliveryOutcome === 'delivered' ? true : undefined;
    }, 'the acknowledgement marked delivered');
    await waitUntilQueuesIdle(host());
    const alert = await marker(reached.id, 'routed:department:gm');
    expect(alert?.state).toBe('sent');
    // Its sender marked it sent; neither SES's Send nor its Delivery event wrote to it.
    expect(alert?.lastEvent).toBeUndefined();
    expect(alert?.deliveryOutcome).toBeUndefined();
    await feedback('bounce', 'qc@example.com', '--transient');
    await waitFor(async () => {
      const item = await marker(reached.id, 'routed:department:qc');
      return item?.lastEvent === 'Bounce' ? item : undefined;
    }, 'the transient bounce recorded');
    expect((await marker(reached.id, 'routed:department:qc'))?.deliveryOutcome).toBeUndefined();
  });

  it('leaves the bounced address out of the next campaign', async () => {
    await host().fire('survey-campaign');
    await waitFor(
      async () =>
        (await sentEmails(host())).some(
          (mail) => mail.destination.to.includes(fine) && /满意/.test(mail.subject),
        )
          ? true
          : undefined,
      'the invitation to the other customer',
    );
    await waitUntilQueuesIdle(host());
    const toGone = (await sentEmails(host())).filter((mail) => mail.destination.to.includes(gone));
    expect(toGone.map((mail) => mail.subject)).toEqual([expect.stringContaining('已受理')]);
  });

  it('refuses an address with no mail, and bad arguments', async () => {
    await expect(feedback('bounce', 'nobody@nowhere.example')).rejects.toMatchObject({
      stderr: expect.stringContaining('no mail to nobody@nowhere.example'),
    });
    await expect(feedback('explode', gone)).rejects.toMatchObject({ code: 2 });
  });
});
