/** Starts a private local host for one test file: free ports, a fresh data folder. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type LocalHost, type LocalHostOptions, startLocalHost } from '#infra/local/host.ts';

export interface TestHost extends LocalHost {
  /** Stops the host and removes its data folder. */
  dispose(): Promise<void>;
}

export async function startTestHost(options: LocalHostOptions = {}): Promise<TestHost> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'aftercare-test-')));
  const host = await startLocalHost({
    port: 0,
    sesPort: 0,
    clock: false,
    visibilityTimeoutSeconds: 2,
    ...options,
    // Browsers driven by tests fill a form in well under the bot check's 3 s; the bot-check
    // test sets it back.
    // Configuration is read afresh: tests change it and look at once.
    settings: {
      FORM_MINIMUM_FILL_SECONDS: '0',
      CONFIGURATION_CACHE_SECONDS: '0',
      ...options.settings,
    },
    dataDir,
  });
  return {
    ...host,
    async dispose() {
      await host.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One test host for the enclosing file or `describe`: started before its tests, disposed of
 * after them. Call where hooks may be registered; the getter answers inside tests and hooks.
 */
export function useTestHost(options?: LocalHostOptions): () => TestHost {
  let host: TestHost | undefined;
  beforeAll(async () => {
    host = await startTestHost(options);
  });
  afterAll(async () => {
    await host?.dispose();
  });
  return () => {
    if (!host) throw new Error('The test host is not running: use it inside a test or a hook.');
    return host;
  };
}

export async function postJson(
  host: LocalHost,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${host.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function postForm(host: LocalHost, path: string, fields: Record<string, string>) {
  return fetch(`${host.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

export interface SentEmail {
  messageId: string;
  from: string;
  replyTo?: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  /** The message headers sent with SES v2's `Headers` (e.g. `List-Unsubscribe`). */
  headers?: { name: string; value: string }[];
  at: number;
}

/** What aws-ses-v2-local has accepted so far (its `GET /store`). */
export async function sentEmails(host: LocalHost): Promise<SentEmail[]> {
  const response = await fetch(`${host.mailboxUrl}/store`);
  const store = (await response.json()) as { emails: SentEmail[] };
  return store.emails;
}

export function validComplaint(overrides: Record<string, unknown> = {}) {
  return {
    customer: {
      name: '李明',
      company: '华南门窗有限公司',
      email: 'li.ming@customer.example',
      phone: '+86 20 1234 5678',
      market: 'domestic',
      region: '广东',
    },
    category: 'quality',
    subject: '6063 型材表面氧化膜脱落',
    description: '第 2026-118 批次到货后发现氧化膜局部脱落，影响安装。',
    order: { contractNo: 'HT-2026-042', batchNo: '2026-118', productModel: '6063-T5 60 系列' },
    claim: { type: 'exchange' },
    ...overrides,
  };
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
