/**
 * The survey's pacing: how fast invitations actually leave against the configured SES send
 * rate, on the local host (the sending consumers run as configured in the wiring).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { upsertCustomer } from '#functions/data/customers.ts';
import { startLocalHost } from '#infra/local/host.ts';
import { readSesJournal } from '#infra/local/stand-ins.ts';

export interface SendRateFigures {
  customers: number;
  configuredPerSecond: number;
  achievedPerSecond: number;
  seconds: number;
  /** Distinct addresses mailed, and mails beyond one per address. */
  recipients: number;
  duplicates: number;
  /** The most mails SES accepted in any one second (its quota is per second). */
  busiestSecond: number;
  /** From the campaign's start to the first mail: the fan-out and the first environments' start. */
  firstMailSeconds: number;
  /** From the first mail to the last: the sending alone. */
  sendingPerSecond: number;
}

const mailboxStore = z.object({
  emails: z.array(z.object({ at: z.number(), destination: z.object({ to: z.array(z.string()) }) })),
});

export async function measureSurveySendRate(
  customers: number,
  configuredPerSecond: number,
): Promise<SendRateFigures> {
  const dataDir = await mkdtemp(join(tmpdir(), 'aftercare-bench-survey-'));
  const host = await startLocalHost({
    port: 0,
    sesPort: 0,
    dataDir,
    clock: false,
    settings: { SURVEY_SEND_RATE_PER_SECOND: String(configuredPerSecond) },
  });
  try {
    const now = new Date().toISOString();
    // The SES stand-in's store outlives a host in this process: count only this run's domain.
    const domain = `survey-bench-${configuredPerSecond}-${Date.now()}.example`;
    const ours = (email: { destination: { to: string[] } }) =>
      email.destination.to.some((address) => address.endsWith(`@${domain}`));
    for (let index = 0; index < customers; index++) {
      await upsertCustomer(
        {
          email: `customer${index}@${domain}`,
          name: `Customer ${index}`,
          market: 'export',
          region: 'DE',
          language: 'en',
        },
        'import',
        now,
      );
    }
    // From the campaign's start to the last invitation: fan-out and sending together.
    const started = performance.now();
    const startedAt = Date.now();
    await host.fire('survey-campaign');
    let last = 0;
    let store: z.output<typeof mailboxStore> = { emails: [] };
    const deadline = performance.now() + (customers / configuredPerSecond) * 3000 + 30_000;
    for (;;) {
      store = z.parse(mailboxStore, await (await fetch(`${host.mailboxUrl}/store`)).json());
      store = { emails: store.emails.filter(ours) };
      const sent = store.emails.length;
      const at = performance.now();
      if (sent >= customers) {
        last = at;
        break;
      }
      if (at > deadline) {
        last = at;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const seconds = (last - started) / 1000;
    // The host's SES journal times each accepted mail (the stand-in's own store: whole seconds).
    const journal = readSesJournal(dataDir).accepted.filter((mail) =>
      mail.destination.some((address) => address.endsWith(`@${domain}`)),
    );
    const addresses = journal.flatMap((mail) => mail.destination);
    const recipients = new Set(addresses).size;
    const seenAt = journal.map((mail) => Date.parse(mail.timestamp)).sort((a, b) => a - b);
    let busiestSecond = 0;
    for (let first = 0, index = 0; index < seenAt.length; index++) {
      while ((seenAt[index] as number) - (seenAt[first] as number) >= 1000) first++;
      busiestSecond = Math.max(busiestSecond, index - first + 1);
    }
    return {
      customers,
      configuredPerSecond,
      seconds,
      achievedPerSecond: store.emails.length / seconds,
      recipients,
      duplicates: addresses.length - recipients,
      busiestSecond,
      firstMailSeconds: seenAt[0] === undefined ? seconds : (seenAt[0] - startedAt) / 1000,
      sendingPerSecond:
        seenAt.length > 1
          ? (seenAt.length - 1) / (((seenAt.at(-1) as number) - (seenAt[0] as number)) / 1000)
          : 0,
    };
  } finally {
    await host.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
