/**
 * The crash test (`npm run test:crash`): a real local host as a child process on one data
 * folder, a few hundred complaints posted while it is killed outright (SIGKILL to its whole
 * process group) at random moments and, through a test hook, right after SES accepts a
 * mail and before the sender marks it; then restarted on the same folder. Asserted: every
 * complaint that got a 202 is kept and routed, every mail it owes is accepted by SES
 * exactly once (counted from the SES stand-in's journal, which survives the kills), the
 * queues and dead-letter queues are empty, a sweep finds nothing to re-send, and all of it
 * within 5 minutes of the last restart. The figures are printed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, expect, it } from 'vitest';
import { markerFromTags } from '#functions/contract/mail-events.ts';
import { keys } from '#functions/data/keys.ts';
import { getMailMarker } from '#functions/data/mail-markers.ts';
import type { Complaint } from '#functions/domain/complaint.ts';
import { notificationKey } from '#functions/domain/notifications.ts';
import { notificationsFor } from '#functions/domain/routing.ts';
import { clientOverrides, localEndpointVariables } from '#functions/shared/aws/local-endpoints.ts';
import { environmentNames, queueNames } from '#functions/wiring.ts';
import { localTableName } from '#infra/local/host.ts';
import { repositoryRoot } from '#infra/local/lambda-runtime.ts';
import { readSesJournal } from '#infra/local/stand-ins.ts';
import { validComplaint } from '#test/support/local-host.ts';
import { storedComplaints } from '#test/support/table.ts';

const complaintCount = Number(process.env.CRASH_COMPLAINTS ?? 300);
const recoveryLimitMs = 5 * 60 * 1000;

const dataDir = await mkdtemp(join(tmpdir(), 'aftercare-crash-'));
const run = randomUUID().slice(0, 8);
let host: ChildProcess | undefined;
let hostLog = '';

afterAll(async () => {
  if (host?.exitCode === null && host.pid) {
    host.kill('SIGTERM');
    await exited(host);
  }
  if (process.env.CRASH_KEEP_DATA) console.info(`data kept in ${dataDir}`);
  else await rm(dataDir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

const ports = {
  api: await freePort(),
  ses: await freePort(),
  dynamodb: await freePort(),
  sqs: await freePort(),
};
const apiUrl = `http://127.0.0.1:${ports.api}`;

// This process reads the host's table and queues through the same SDK code paths.
process.env[localEndpointVariables.dynamodb] = `http://127.0.0.1:${ports.dynamodb}`;
process.env[localEndpointVariables.sqs] = `http://127.0.0.1:${ports.sqs}`;
process.env[environmentNames.tableName] = localTableName;

function startHost(extraEnvironment: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, [join(repositoryRoot, 'infra/local/main.ts')], {
    cwd: repositoryRoot,
    // Its own process group, so a kill takes everything the host started.
    detached: true,
    // CRASH_HOST_LOG=file keeps the host's and its functions' logs there, to see why a run failed.
    stdio: ['ignore', process.env.CRASH_HOST_LOG ? 'pipe' : 'ignore', 'pipe'],
    env: {
      ...process.env,
      PORT: String(ports.api),
      SES_PORT: String(ports.ses),
      DYNAMODB_PORT: String(ports.dynamodb),
      SQS_PORT: String(ports.sqs),
      AFTERCARE_DATA_DIR: dataDir,
      LOG_LEVEL: process.env.CRASH_HOST_LOG ? 'info' : 'error',
      ...extraEnvironment,
    },
  });
  const keep = (chunk: Buffer) => {
    if (process.env.CRASH_HOST_LOG) appendFileSync(process.env.CRASH_HOST_LOG, chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', (chunk: Buffer) => {
    keep(chunk);
    hostLog = (hostLog + chunk.toString('utf8')).slice(-20_000);
  });
  host = child;
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function killGroup(child: ChildProcess): void {
  if (child.pid && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function waitHealthy(child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      if ((await fetch(`${apiUrl}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`The host did not start.\n${hostLog}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Posted {
  index: number;
  key: string;
  accepted?: { id: string; reference: string };
  attempts: number;
}

const complaints: Posted[] = Array.from({ length: complaintCount }, (_, index) => ({
  index,
  key: `crash-${run}-${index}`,
  attempts: 0,
}));

/** Posts up to `limit` new complaints (and any left unanswered before), until done or the host dies. */
async function postWhileUp(child: ChildProcess, limit: number): Promise<void> {
  const alive = () => child.exitCode === null && child.signalCode === null;
  const todo = complaints.filter((complaint) => !complaint.accepted);
  const fresh = todo.filter((complaint) => complaint.attempts === 0).slice(0, limit);
  const queue = [...todo.filter((complaint) => complaint.attempts > 0), ...fresh];
  const worker = async () => {
    for (let next = queue.shift(); next && alive(); next = queue.shift()) {
      next.attempts++;
      try {
        const response = await fetch(`${apiUrl}/complaints`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': next.key },
          body: JSON.stringify(
            validComplaint({
              customer: {
                ...validComplaint().customer,
                email: `crash-${run}-${next.index}@customer.example`,
              },
              ...(next.index % 3 === 0 ? { category: 'delivery' } : {}),
            }),
          ),
        });
        if (response.status === 202 || response.status === 200) {
          next.accepted = (await response.json()) as { id: string; reference: string };
        } else if (response.status === 409) {
          // The first attempt with this key is still held by a crashed request: later.
          await sleep(1000);
          queue.push(next);
        } else {
          throw new Error(`POST answered ${response.status}: ${await response.text()}`);
        }
      } catch (error) {
        if (alive() && !(error instanceof TypeError)) throw error;
        // The host died under the request: the client will retry with the same key.
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

const markerId = (key: { pk: string; sk: string }) => `${key.pk}|${key.sk}`;

interface Figures {
  complaints: number;
  routed: number;
  mailsOwed: number;
  accepted: number;
  duplicated: number;
  lost: number;
  unsettled: number;
  queued: number;
  /** The queues not empty, for the report. */
  queues: string;
  duplicates: string[];
  /** Markers SES's event marked sent before their sender could (or because it died). */
  markedByEvent: number;
  /** Markers claimed more than once: a dead sender's claim taken over, or released after an error. */
  takenOver: number;
}

/** Messages waiting in each queue and dead-letter queue (visible, in flight, delayed), by name. */
async function queueDepths(sqs: SQSClient): Promise<Map<string, number[]>> {
  const depths = new Map<string, number[]>();
  for (const name of queueNames) {
    for (const queueName of [`aftercare-${name}`, `aftercare-${name}-dlq`]) {
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      );
      const counts = [
        Number(Attributes.ApproximateNumberOfMessages ?? 0),
        Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
        Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
      ];
      if (counts.some((count) => count > 0)) depths.set(queueName, counts);
    }
  }
  return depths;
}

const total = (depths: Map<string, number[]>) =>
  [...depths.values()].flat().reduce((sum, count) => sum + count, 0);

/** Which queues hold what, for the report: `name visible/in flight/delayed`. */
const describeDepths = (depths: Map<string, number[]>) =>
  [...depths].map(([name, counts]) => `${name} ${counts.join('/')}`).join(', ');

/** Where things stand: what every stored complaint owes, what SES accepted, what waits. */
async function figures(sqs: SQSClient): Promise<Figures> {
  const stored = (await storedComplaints()) as unknown as Complaint[];
  const owed = new Set<string>();
  let routed = 0;
  let unsettled = 0;
  let markedByEvent = 0;
  let takenOver = 0;
  for (const complaint of stored) {
    if (!complaint.routing) continue;
    routed++;
    for (const notification of notificationsFor(complaint.routing, {
      acknowledgeCustomer: !complaint.acknowledgementWithheld,
    })) {
      const key = keys.notification(complaint.id, notificationKey(notification));
      owed.add(markerId(key));
      const marker = await getMailMarker(key);
      if (marker?.state !== 'sent') unsettled++;
      if (marker?.markedSentBy) markedByEvent++;
      if ((marker?.attempts ?? 0) > 1) takenOver++;
    }
  }
  const copies = new Map<string, number>();
  const journal = readSesJournal(dataDir);
  for (const mail of journal.accepted) {
    const tags = Object.fromEntries(Object.entries(mail.tags).map(([n, v]) => [n, [v]]));
    const key = markerFromTags(tags);
    const id = key ? markerId(key) : `untagged:${mail.messageId}`;
    copies.set(id, (copies.get(id) ?? 0) + 1);
  }
  const depths = await queueDepths(sqs);
  let duplicated = 0;
  const duplicates: string[] = [];
  for (const [id, count] of copies) {
    if (count > 1 || !owed.has(id)) {
      duplicated += count > 1 ? count - 1 : count;
      duplicates.push(id);
    }
  }
  let lost = 0;
  for (const id of owed) if (!copies.has(id)) lost++;
  return {
    complaints: stored.length,
    routed,
    mailsOwed: owed.size,
    accepted: journal.accepted.length,
    duplicated,
    lost,
    unsettled,
    queued: total(depths),
    queues: describeDepths(depths),
    duplicates,
    markedByEvent,
    takenOver,
  };
}

/** What the journal and the marker say about one duplicated mail, for the report. */
async function explain(id: string): Promise<string> {
  const [pk = '', sk = ''] = id.split('|');
  const marker = await getMailMarker({ pk, sk });
  const copies = readSesJournal(dataDir).accepted.filter((mail) => {
    const tags = Object.fromEntries(Object.entries(mail.tags).map(([n, v]) => [n, [v]]));
    const key = markerFromTags(tags);
    return key && markerId(key) === id;
  });
  return `${sk}: marker ${JSON.stringify({ ...marker, to: undefined })}; accepted ${JSON.stringify(
    copies.map((mail) => ({
      at: mail.timestamp,
      claim: mail.tags['aftercare-claim'],
      id: mail.messageId,
    })),
  )}`;
}

it(
  'after random kills, including between SES accepting and the mark, nothing is lost or sent twice',
  async () => {
    const crashes: string[] = [];
    const perRound = Math.ceil(complaintCount / 4);

    // Round 1: killed at a random moment while complaints pour in.
    let child = startHost();
    await waitHealthy(child);
    let killAfter = 1000 + Math.floor(Math.random() * 3000);
    setTimeout(() => killGroup(child), killAfter).unref();
    await postWhileUp(child, perRound);
    await exited(child);
    crashes.push(`SIGKILL after ${killAfter} ms`);

    // Round 2: the sender process dies right after SES accepts its n-th mail, before the mark.
    const accepts = 10 + Math.floor(Math.random() * 30);
    child = startHost({ AFTERCARE_CRASH_AFTER_SES_ACCEPTS: String(accepts) });
    await waitHealthy(child);
    const guard = setTimeout(() => killGroup(child), 90_000);
    await postWhileUp(child, perRound);
    await exited(child);
    clearTimeout(guard);
    crashes.push(`died after SES accepted ${accepts} mails (${String(child.signalCode)})`);

    // Round 3: killed at a random moment again.
    child = startHost();
    await waitHealthy(child);
    killAfter = 500 + Math.floor(Math.random() * 4000);
    setTimeout(() => killGroup(child), killAfter).unref();
    await postWhileUp(child, perRound);
    await exited(child);
    crashes.push(`SIGKILL after ${killAfter} ms`);

    // The last restart: the rest of the complaints, then recovery, timed from here.
    const restartedAt = Date.now();
    child = startHost();
    await waitHealthy(child);
    // Clients retry what went unanswered, with the same idempotency key, until all are in.
    for (
      let tries = 0;
      tries < 20 && complaints.some((complaint) => !complaint.accepted);
      tries++
    ) {
      await postWhileUp(child, complaintCount);
    }
    const sqs = new SQSClient(clientOverrides('sqs'));
    const settled = (figure: Figures) =>
      figure.routed === figure.complaints &&
      figure.lost === 0 &&
      figure.unsettled === 0 &&
      figure.queued === 0;
    // What the queues held as recovery went on, whenever it changed: `12 s: name 0/3/0`.
    const queueTimeline: string[] = [];
    while (Date.now() - restartedAt < recoveryLimitMs) {
      const depths = describeDepths(await queueDepths(sqs));
      if (queueTimeline.at(-1)?.endsWith(`: ${depths}`) !== true) {
        queueTimeline.push(`${Math.round((Date.now() - restartedAt) / 1000)} s: ${depths}`);
      }
      // The full count reads every marker: only once the queues are empty.
      if (depths === '' && settled(await figures(sqs))) break;
      await sleep(3000);
    }
    const recoveredInSeconds = Math.round((Date.now() - restartedAt) / 1000);

    // Nothing running away: a sweep finds nothing to send, and the queues stay empty.
    const swept = (await (
      await fetch(`${apiUrl}/__local/schedules/enqueue-sweep`, { method: 'POST' })
    ).json()) as { result: { resent: number; failed: number; stale: number } };
    const after = await figures(sqs);

    const accepted = complaints.filter((complaint) => complaint.accepted);
    const stored = new Set(
      ((await storedComplaints()) as unknown as Complaint[]).map((complaint) => complaint.id),
    );
    const lostComplaints = accepted.filter(
      (complaint) => !stored.has(complaint.accepted?.id ?? ''),
    ).length;
    console.info(
      [
        `crash test (run ${run}): ${crashes.join('; ')}`,
        `  complaints: ${accepted.length} of ${complaintCount} answered 202, ${after.complaints} stored, ${lostComplaints} lost, ${after.routed} routed`,
        `  mails: ${after.mailsOwed} owed, ${after.accepted} accepted by SES, ${after.duplicated} duplicated, ${after.lost} lost, ${after.unsettled} markers not sent`,
        `  markers marked sent by SES's event before their sender: ${after.markedByEvent}; claimed more than once: ${after.takenOver}`,
        `  queues and dead-letter queues: ${after.queued} messages${after.queues ? ` (${after.queues}: visible/in flight/delayed)` : ''}; sweep after recovery: ${swept.result.resent} re-sent, ${swept.result.stale} stale`,
        `  recovered ${recoveredInSeconds} s after the last restart; the queues meanwhile: ${queueTimeline.join('; ')}`,
        ...(await Promise.all(after.duplicates.map(explain))),
      ].join('\n'),
    );

    expect(accepted).toHaveLength(complaintCount);
    expect(lostComplaints).toBe(0);
    expect(after.routed).toBe(after.complaints);
    expect(after.duplicated).toBe(0);
    expect(after.lost).toBe(0);
    expect(after.unsettled).toBe(0);
    expect(after.accepted).toBe(after.mailsOwed);
    expect(after.queued).toBe(0);
    expect(swept.result).toMatchObject({ resent: 0, failed: 0 });
    expect(Date.now() - restartedAt).toBeLessThan(recoveryLimitMs);

    child.kill('SIGTERM');
    await exited(child);
  },
  12 * 60 * 1000,
);
