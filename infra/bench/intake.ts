/**
 * Intake latency on the local host (POST /complaints, JSON) next to three floors: the bare
 * stand-in round trip it is made of (one PutItem on dynalite plus one SendMessage on fauxqs,
 * from the bench's own thread); a bare function doing just that pair, served by the same
 * local host the same way (HTTP server → local API Gateway → worker thread → handler), so the
 * second ratio shows what intake adds beyond the platform's path; and a bare function making
 * intake's own calls in its two round trips (intake-calls-handler.ts), so the third shows
 * what our code adds beyond the calls its guarantees need.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientOverrides } from '#functions/shared/aws/local-endpoints.ts';
import { functions } from '#functions/wiring.ts';
import { type BenchFunction, localTableName, startLocalHost } from '#infra/local/host.ts';
import { benchQueueVariable } from './bare-intake-handler.ts';

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
}

export interface IntakeFigures {
  /** Back to back: the queue consumers run alongside in the same process, as under load. */
  intake: LatencySummary;
  /** Spaced out, so each post finds the consumers idle. */
  paced: LatencySummary;
  /** The bare function on the local host, back to back (nothing else queued). */
  bareFunction: LatencySummary;
  /** The bare function, spaced out as intake's posts, each just after one of them. */
  bareFunctionPaced: LatencySummary;
  /** The bare function making intake's calls, spaced out the same way, taking turns too. */
  intakeCallsPaced: LatencySummary;
  bare: LatencySummary;
}

/** The floor functions the local host serves beside the wiring's, each on a route of its own. */
const floorFunctions = {
  bare: {
    name: 'benchBareIntake',
    entry: 'infra/bench/bare-intake-handler.ts',
    path: '/__bench/bare-intake',
    description: 'The bench floor: one PutItem and one SendMessage behind the local host',
  },
  intakeCalls: {
    name: 'benchIntakeCalls',
    entry: 'infra/bench/intake-calls-handler.ts',
    path: '/__bench/intake-calls',
    description: "The bench floor: intake's calls in its two round trips behind the local host",
  },
} as const;
const benchQueueName = 'aftercare-bench';

/**
 * A floor function: intake's memory and timeout, its own route, the table and the bench's
 * own queue (no consumer sees it).
 */
function benchIntakeFunction(
  floor: keyof typeof floorFunctions,
  queueUrl: () => string,
): BenchFunction {
  const { settings: _settings, ...intake } = functions.submitComplaint;
  const { name, entry, path, description } = floorFunctions[floor];
  return {
    name,
    spec: {
      ...intake,
      entry,
      description,
      trigger: { kind: 'http', routes: [{ method: 'POST', path, public: true }] },
      sendsTo: [],
    },
    variables: () => ({ [benchQueueVariable]: queueUrl() }),
  };
}

function percentile(sorted: number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

function summarize(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

async function timed(
  runs: number,
  warmUp: number,
  step: (index: number) => Promise<void>,
  gapMs = 0,
) {
  for (let index = 0; index < warmUp; index++) await step(-1 - index);
  const samples: number[] = [];
  for (let index = 0; index < runs; index++) {
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    const started = performance.now();
    await step(index);
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

function complaint(index: number) {
  return {
    customer: {
      name: 'Bench Customer',
      company: 'Bench Windows Ltd',
      email: `bench+${index}@customer.example`,
      market: index % 2 === 0 ? 'domestic' : 'export',
      region: index % 2 === 0 ? '广东' : 'DE',
    },
    category: 'delivery',
    subject: `Late delivery ${index}`,
    description: '到货比合同约定晚了两周。Delivery arrived two weeks after the contract date.',
    order: { contractNo: 'HT-2026-042', orderNo: `PO-${index}` },
  };
}

export async function measureIntake(
  posts: number,
  pacedPosts: number,
  warmUp = 20,
): Promise<IntakeFigures> {
  const dataDir = await mkdtemp(join(tmpdir(), 'aftercare-bench-'));
  let benchQueueUrl = '';
  const host = await startLocalHost({
    port: 0,
    sesPort: 0,
    dataDir,
    clock: false,
    benchFunctions: [
      benchIntakeFunction('bare', () => benchQueueUrl),
      benchIntakeFunction('intakeCalls', () => benchQueueUrl),
    ],
  });
  try {
    // The same stand-ins, the same SDK clients; a queue of its own so no consumer sees these.
    const dynamodb = new DynamoDBClient(clientOverrides('dynamodb'));
    const sqs = new SQSClient(clientOverrides('sqs'));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: benchQueueName }));
    benchQueueUrl = QueueUrl ?? '';
    const postTo = async (path: string, index: number) => {
      const response = await fetch(`${host.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify(complaint(index)),
      });
      await response.arrayBuffer();
      if (response.status !== 202) throw new Error(`${path} answered ${response.status}`);
    };
    const post = (index: number) => postTo('/complaints', index);
    const postBare = (index: number) => postTo(floorFunctions.bare.path, index);
    const postIntakeCalls = (index: number) => postTo(floorFunctions.intakeCalls.path, index);
    const intake = await timed(posts, warmUp, post);
    // What the posts above queued (routing, mails, their events) is done first: otherwise the
    // first spaced posts, and the bare round trips, still compete with that backlog.
    await host.drained(300_000);
    const bareFunction = await timed(posts, warmUp, postBare);
    // Warm, as the other two are by now, so its first spaced post is no cold start.
    for (let index = 0; index < warmUp; index++) await postIntakeCalls(-1 - index);
    // Taking turns, each after the same pause: a spaced post, then each floor function's post.
    const pacedSamples: number[] = [];
    const barePacedSamples: number[] = [];
    const intakeCallsSamples: number[] = [];
    for (let index = 0; index < pacedPosts; index++) {
      for (const [samples, step] of [
        [pacedSamples, post],
        [barePacedSamples, postBare],
        [intakeCallsSamples, postIntakeCalls],
      ] as const) {
        await new Promise((resolve) => setTimeout(resolve, 600));
        const started = performance.now();
        await step(posts + index);
        samples.push(performance.now() - started);
      }
    }
    const paced = summarize(pacedSamples);
    const bareFunctionPaced = summarize(barePacedSamples);
    const intakeCallsPaced = summarize(intakeCallsSamples);
    await host.drained(300_000);

    const bare = await timed(posts, warmUp, async (index) => {
      await dynamodb.send(
        new PutItemCommand({
          TableName: localTableName,
          Item: { pk: { S: `BENCH#${randomUUID()}` }, sk: { S: 'BENCH' }, n: { N: String(index) } },
        }),
      );
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify({ index }) }));
    });
    dynamodb.destroy();
    sqs.destroy();
    return { intake, paced, bareFunction, bareFunctionPaced, intakeCallsPaced, bare };
  } finally {
    await host.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
