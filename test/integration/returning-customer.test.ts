/** A customer who complains again: acknowledged again, and their registry entry updated. */
import { describe, expect, it } from 'vitest';
import { getCustomer } from '../../functions/data/customers.ts';
import {
  postJson,
  sentEmails,
  useTestHost,
  validComplaint,
  waitFor,
} from '../support/local-host.ts';

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
