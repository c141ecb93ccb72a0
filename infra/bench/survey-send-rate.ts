/**
 * The survey's pacing: how fast invitations actually leave against the configured SES send
 * rate, on the local host (the sending consumers run as configured in the wiring).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upsertCustomer } from '#functions/data/customers.ts';
import { startLocalHost } from '#infra/local/host.ts';

export interface SendRateFigures {
  customers: number;
  configuredPerSecond: number;
  achievedPerSecond: number;
  seconds: number;
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
    for (let index = 0; index < customers; index++) {
      await upsertCustomer(
        {
          email: `customer${index}@survey-bench.example`,
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
    await host.fire('survey-campaign');
    let last = 0;
    const deadline = performance.now() + (customers / configuredPerSecond) * 3000 + 30_000;
    for (;;) {
      const store = (await (await fetch(`${host.mailboxUrl}/store`)).json()) as {
        emails: unknown[];
      };
      const sent = store.emails.length;
      const at = performance.now();
      if (sent >= customers) {
        last = at;
        break;
      }
      if (at > deadline) throw new Error(`only ${sent} of ${customers} invitations went out`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seconds = (last - started) / 1000;
    return { customers, configuredPerSecond, seconds, achievedPerSecond: customers / seconds };
  } finally {
    await host.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
