/**
 * SES's feedback suppresses an address for the survey: a permanent bounce or a spam
 * complaint takes it off the deliverable customers; a transient bounce does not.
 */
import { describe, expect, it } from 'vitest';
import type { SesEvent } from '#functions/contract/mail-events.ts';
import { deliverableCustomers, getCustomer, upsertCustomer } from '#functions/data/customers.ts';
import { recordSesEvent } from '#functions/services/mail-events.ts';
import { useTestHost } from '#test/support/local-host.ts';

const at = '2027-01-16T02:00:00.000Z';

async function customer(email: string) {
  await upsertCustomer(
    { email, name: 'Kunde', market: 'export', region: 'DE', language: 'en' },
    'import',
    at,
  );
}

function event(eventType: string, details: Pick<SesEvent, 'bounce' | 'complaint'>): SesEvent {
  return { eventType, mail: { timestamp: at, messageId: `m-${eventType}` }, ...details };
}

async function deliverable(): Promise<string[]> {
  return (await deliverableCustomers(100)).customers.map((entry) => entry.email);
}

describe('SES feedback', () => {
  useTestHost();

  it('suppresses an address that bounced for good or complained, not one that bounced once', async () => {
    await customer('gone@kunde.example');
    await customer('angry@kunde.example');
    await customer('full-mailbox@kunde.example');
    await recordSesEvent(
      event('Bounce', {
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'NoEmail',
          timestamp: at,
          bouncedRecipients: [{ emailAddress: 'gone@kunde.example' }],
        },
      }),
    );
    await recordSesEvent(
      event('Complaint', {
        complaint: {
          complaintFeedbackType: 'abuse',
          timestamp: at,
          complainedRecipients: [{ emailAddress: 'angry@kunde.example' }],
        },
      }),
    );
    await recordSesEvent(
      event('Bounce', {
        bounce: {
          bounceType: 'Transient',
          bounceSubType: 'MailboxFull',
          timestamp: at,
          bouncedRecipients: [{ emailAddress: 'full-mailbox@kunde.example' }],
        },
      }),
    );
    expect(await deliverable()).toEqual(['full-mailbox@kunde.example']);
    expect(await getCustomer('gone@kunde.example')).toMatchObject({
      deliverable: false,
      undeliverableReason: 'bounced',
    });
    expect(await getCustomer('angry@kunde.example')).toMatchObject({
      deliverable: false,
      undeliverableReason: 'complained',
    });
  });
});
