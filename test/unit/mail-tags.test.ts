/** The tags that tie a mail to its marker survive SES's limits and come back as the same key. */
import { describe, expect, it } from 'vitest';
import {
  claimFromTags,
  markerFromTags,
  markerTags,
  sesEvent,
} from '#functions/contract/mail-events.ts';
import { keys } from '#functions/data/keys.ts';

const asEventTags = (tags: Record<string, string>) =>
  Object.fromEntries(Object.entries(tags).map(([name, value]) => [name, [value]]));

describe('mail tags', () => {
  it.each([
    keys.notification('0b8f0c1e-6a43-4f3e-9a57-4d1c8b2e7f10', 'routed:department:production_vp'),
    keys.surveyMail(2026, `${'a'.repeat(64)}@${'sub.'.repeat(40)}example.com`, 2),
    keys.surveyReportMail(2026, 'gm'),
  ])('round-trip %o within SES tag rules', (marker) => {
    const tags = markerTags(marker, 'claim-token-1');
    for (const [name, value] of Object.entries(tags)) {
      expect(name).toMatch(/^[\w-]{1,256}$/);
      expect(value).toMatch(/^[\w-]{1,256}$/);
    }
    const eventTags = { 'ses:configuration-set': ['set'], ...asEventTags(tags) };
    expect(markerFromTags(eventTags)).toEqual(marker);
    expect(claimFromTags(eventTags)).toBe('claim-token-1');
  });

  it('name no marker for mail without our tags or with a mangled one', () => {
    expect(markerFromTags(undefined)).toBeUndefined();
    expect(markerFromTags({ 'ses:from-domain': ['example.com'] })).toBeUndefined();
    expect(markerFromTags({ 'aftercare-marker-0': ['no spaces allowed'] })).toBeUndefined();
    expect(
      markerFromTags({ 'aftercare-marker-0': [Buffer.from('only-a-pk').toString('base64url')] }),
    ).toBeUndefined();
  });

  it("read SES's event record as SES publishes it", () => {
    const parsed = sesEvent.safeParse({
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: 'x@example.com' }],
        timestamp: '2026-11-28T10:00:00.000Z',
        feedbackId: 'f',
      },
      mail: {
        timestamp: '2026-11-28T09:59:59.000Z',
        source: 'a@example.com',
        messageId: 'm-1',
        destination: ['x@example.com'],
        tags: { 'aftercare-claim': ['t'] },
      },
    });
    expect(parsed.success).toBe(true);
    const renderingFailure = sesEvent.safeParse({
      eventType: 'Rendering Failure',
      mail: { timestamp: '2026-11-28T09:59:59.000Z', messageId: 'm-2' },
      failure: { errorMessage: 'x', templateName: 't' },
    });
    expect(renderingFailure.success).toBe(true);
  });
});
