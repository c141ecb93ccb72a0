/** A customer who complains again: acknowledged again, and their registry entry updated. */
import { describe, expect, it } from 'vitest';
import { getCustomer } from '#functions/data/customers.ts';
import { acknowledgementsPerAddressPerDay } from '#functions/domain/complaint.ts';
import {
  postJson,
  sentEmails,
  useTestHost,
  validComplaint,
  waitFor,
} from '#test/support/local-host.ts';
import { storedComplaint } from '#test/support/table.ts';

const host = useTestHost();

describe('a returning customer', () => {
  it('gets an acknowledgement each time, also without a company, and stays one registry entry', async () => {
    const email = 'returning@customer.example';
    const customer = { name: '赵雷', email, market: 'domestic', region: '湖南' };
    for (const subject of ['第一次投诉', '第二次投诉']) {
      const response = await postJson(host(), '/complaints', validComplaint({ customer, subject }));
      expect(response.status).toBe(202);
    }
    const acknowledgements = await waitFor(async () => {
      const mails = (await sentEmails(host())).filter((mail) =>
        mail.destination.to.includes(email),
      );
      return mails.length >= 2 ? mails : undefined;
    }, 'both acknowledgements');
    expect(acknowledgements).toHaveLength(2);
    const entry = await waitFor(async () => getCustomer(email), 'the registry entry');
    expect(entry).toMatchObject({ email, name: '赵雷', region: 'CN-HN', deliverable: true });
    expect(entry).not.toHaveProperty('company');
  });
});

describe('an address posted many times a day', () => {
  it('keeps every complaint but acknowledges only the day’s share, so the form relays no mail', async () => {
    const email = 'flooded@victim.example';
    const customer = { name: 'Someone', email, market: 'export', region: 'US' };
    const ids: string[] = [];
    for (let index = 0; index < acknowledgementsPerAddressPerDay + 2; index++) {
      const response = await postJson(
        host(),
        '/complaints',
        validComplaint({ customer, subject: `Post ${index}` }),
      );
      expect(response.status).toBe(202);
      ids.push(((await response.json()) as { id: string }).id);
    }
    // Every department still hears of every complaint.
    await waitFor(async () => {
      const gm = (await sentEmails(host())).filter(
        (mail) => mail.destination.to.includes('gm@example.com') && /Post \d/.test(mail.subject),
      );
      return gm.length >= ids.length ? gm : undefined;
    }, 'the alerts to gm');
    const acknowledgements = (await sentEmails(host())).filter((mail) =>
      mail.destination.to.includes(email),
    );
    expect(acknowledgements).toHaveLength(acknowledgementsPerAddressPerDay);
    const last = await storedComplaint(ids[ids.length - 1] as string);
    expect(last?.acknowledgementWithheld).toBe(true);
  });
});
