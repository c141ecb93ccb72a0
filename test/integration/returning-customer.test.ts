/** A customer who complains again: acknowledged again, and their registry entry updated. */
import { describe, expect, it } from 'vitest';
import { acknowledgeComplainant, getCustomer } from '#functions/data/customers.ts';
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

describe('the day’s acknowledgements, on the registry entry', () => {
  const profile = {
    email: 'Window@Customer.example',
    name: '钱伟',
    market: 'domestic',
    region: 'CN-ZJ',
    language: 'zh',
  } as const;
  const take = (day: string) =>
    acknowledgeComplainant(profile, day, acknowledgementsPerAddressPerDay, `${day}T02:00:00.000Z`);

  it('allows the day’s share, then none until the next day, and writes the entry with the first', async () => {
    const taken = [];
    for (let index = 0; index <= acknowledgementsPerAddressPerDay; index++) {
      taken.push(await take('2026-03-02'));
    }
    expect(taken).toEqual([...Array(acknowledgementsPerAddressPerDay).fill(true), false]);
    expect(await take('2026-03-03')).toBe(true);
    expect(await take('2026-03-03')).toBe(true);
    // A day's share is counted on that day alone: the window slid by two.
    const entry = await getCustomer(profile.email);
    expect(entry).toMatchObject({
      email: profile.email,
      name: '钱伟',
      region: 'CN-ZJ',
      language: 'zh',
      deliverable: true,
      source: 'complaint',
      createdAt: '2026-03-02T02:00:00.000Z',
    });
    expect(entry).not.toHaveProperty('registryKey');
    // The window is bookkeeping: the entry as read (and shown to staff) does not carry it.
    expect(Object.keys(entry ?? {}).filter((name) => name.startsWith('acknowledgedOn'))).toEqual(
      [],
    );
  });

  it('leaves routing nothing to write for the registry: the acknowledgement brought the entry up to the complaint', async () => {
    const email = 'one-write@customer.example';
    const customer = {
      name: '孙丽',
      company: '孙氏门窗',
      email,
      market: 'domestic',
      region: '浙江',
    };
    const response = await postJson(host(), '/complaints', validComplaint({ customer }));
    expect(response.status).toBe(202);
    await waitFor(
      async () =>
        (await sentEmails(host())).some((mail) => mail.destination.to.includes(email)) || undefined,
      'the acknowledgement',
    );
    await host().drained();
    const entry = await getCustomer(email);
    expect(entry).toMatchObject({ name: '孙丽', company: '孙氏门窗', region: 'CN-ZJ' });
    // Written once, by intake: routing's upsert found it saying it all.
    expect(entry?.updatedAt).toBe(entry?.createdAt);
  });
});
