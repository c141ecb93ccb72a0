/**
 * The survey's pacing: how fast invitations actually leave against the configured SES send
 * rate, on the local host (the sending consumers run as configured in the wiring).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upsertCustomer } from '#functions/data/customers.ts';
import { startLocalHost } from '#infra/local/host.ts';
import { readSesJournal } from '#infra/local/stand-ins.ts';
import { busiestOneSecondWindow, meanOneSecondWindow } from './send-measures.ts';

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
  /**
   * CPU time of the whole process (every thread: host, stand-ins, environments, the bench's
   * own reading of the journal) from the campaign's start to the last mail, per mail: what a
   * loaded machine changes least.
   */
  cpuMsPerMail: number;
  /** From the first mail to the last: the sending alone. */
  sendingPerSecond: number;
  /**
   * The mails an average one-second window holds, over every window from the first mail to
   * the last (SES's quota is per second). A span's rate overstates a send window by up to a
   * second's worth: it lets the rate go at once at the start, so N mails may span only
   * (N − rate) / rate seconds without any one-second window above the rate (1.25× for 100
   * at 20/s). This mean is at most the busiest second, and the rate for a sender that keeps
   * every second full, whether it bunches its mails or spaces them.
   */
  meanSecond: number;
}

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
    // Count only this run's domain.
    const domain = `survey-bench-${configuredPerSecond}-${Date.now()}.example`;
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
    const startedAt = Date.now();
    const cpuBefore = process.cpuUsage();
    await host.fire('survey-campaign');
    // The host's SES journal times each accepted mail. Read from the file, not asked of the
    // host: the bench polled the SES stand-in's /store (every mail, whole) every 10 ms, and
    // profiled, that was work on the host's main thread beside the mails it measured.
    const ourMail = () =>
      readSesJournal(dataDir).accepted.filter((mail) =>
        mail.destination.some((address) => address.endsWith(`@${domain}`)),
      );
    let journal = ourMail();
    const deadline = Date.now() + (customers / configuredPerSecond) * 3000 + 30_000;
    while (journal.length < customers && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      journal = ourMail();
    }
    const seenAt = journal.map((mail) => Date.parse(mail.timestamp)).sort((a, b) => a - b);
    const last = journal.length >= customers ? (seenAt.at(-1) as number) : Date.now();
    const cpu = process.cpuUsage(cpuBefore);
    const seconds = (last - startedAt) / 1000;
    const addresses = journal.flatMap((mail) => mail.destination);
    const recipients = new Set(addresses).size;
    const busiestSecond = busiestOneSecondWindow(seenAt);
    return {
      customers,
      configuredPerSecond,
      seconds,
      achievedPerSecond: journal.length / seconds,
      recipients,
      duplicates: addresses.length - recipients,
      busiestSecond,
      cpuMsPerMail: (cpu.user + cpu.system) / 1000 / Math.max(1, journal.length),
      firstMailSeconds: seenAt[0] === undefined ? seconds : (seenAt[0] - startedAt) / 1000,
      meanSecond: meanOneSecondWindow(seenAt),
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
