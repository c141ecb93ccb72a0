/**
 * What one complaint costs on AWS, counted over its whole life on the local host: intake,
 * routing, its mails and their SES events. The meter (capacity-meter.ts) runs in every
 * local Lambda environment; each scenario is posted alone and counted until the system has
 * been quiet for a while. Prices are AWS's public on-demand prices (us-east-1, Arm Lambda);
 * SES and CloudWatch Logs are left out.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { indexKeys, keys } from '#functions/data/keys.ts';
import { formatReference } from '#functions/domain/complaint.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { clientOverrides } from '#functions/shared/aws/local-endpoints.ts';
import { type FunctionName, functions as functionSpecs } from '#functions/wiring.ts';
import { localTableName, startLocalHost } from '#infra/local/host.ts';
import { feedbackEvent } from '#infra/local/ses-feedback-events.ts';
import { readSesJournal } from '#infra/local/stand-ins.ts';
import { type MeterRecord, meterChannelName, meterVariable } from './capacity-meter.ts';

/** US dollars per million of each unit. */
export const prices = {
  apiGatewayRestRequest: 3.5,
  wafRequest: 0.6,
  lambdaRequest: 0.2,
  /** Arm: $0.0000133334 per GB-second. */
  lambdaGbSecond: 13.3334,
  sqsRequest: 0.4,
  dynamodbWriteUnit: 0.625,
  dynamodbReadUnit: 0.125,
} as const;

export interface Scenario {
  name: string;
  body: Record<string, unknown> & { customer: Record<string, unknown> };
}

/** The scenario's complaint from an address never seen: the registry gets a new entry. */
function fromNewCustomer(scenario: Scenario): Record<string, unknown> {
  return {
    ...scenario.body,
    customer: {
      ...scenario.body.customer,
      email: `bench+${randomUUID().slice(0, 8)}@customer.example`,
    },
  };
}

const customer = (tag: string, market: 'domestic' | 'export', region: string) => ({
  name: 'Bench Customer',
  company: 'Bench Windows Ltd',
  email: `bench+${tag}-${randomUUID().slice(0, 8)}@customer.example`,
  market,
  region,
});

export const scenarios: Scenario[] = [
  {
    name: 'short complaint',
    body: {
      customer: customer('short', 'domestic', '广东'),
      category: 'delivery',
      subject: 'Late delivery',
      description: '到货比合同约定晚了两周。Delivery arrived two weeks after the contract date.',
      order: { contractNo: 'HT-2026-042', orderNo: 'PO-1' },
    },
  },
  {
    name: 'quality complaint',
    body: {
      customer: customer('quality', 'export', 'DE'),
      category: 'quality',
      subject: 'Cracked frames',
      description: 'Three window frames arrived cracked along the corner welds.',
      order: { contractNo: 'HT-2026-043', orderNo: 'PO-2' },
    },
  },
  {
    name: '5,000-character description',
    body: {
      customer: customer('long', 'domestic', '广东'),
      category: 'delivery',
      subject: 'Late delivery, in detail',
      description: 'Delivery arrived two weeks after the contract date. '
        .repeat(100)
        .slice(0, 5000),
      order: { contractNo: 'HT-2026-044', orderNo: 'PO-3' },
    },
  },
];

export interface ComplaintCost {
  scenario: string;
  mails: number;
  writeUnits: {
    table: number;
    indexes: number;
    byIndex: Record<string, number>;
    /** Table and index write units by the function that made them. */
    byFunction: Record<string, number>;
  };
  readUnits: number;
  dynamodbCalls: number;
  /** DynamoDB calls by the function that made them. */
  callsByFunction: Record<string, number>;
  /**
   * Of the calls, reads of the configuration (departments, outlets, routing policy), which a
   * warm environment keeps for a minute: how many depends on which environments were warm.
   */
  configurationReads: number;
  /** DynamoDB calls by operation: all by key (no Scan), so as many at 1k as at 100k complaints. */
  operations: Record<string, number>;
  sqsRequests: number;
  invocations: { name: string; count: number; gbSeconds: number }[];
  httpRequests: number;
  /**
   * SES's `Delivery` event for each mail, as AWS publishes it some seconds after the send
   * (the local SES publishes only `Send`: the bench publishes these, then counts apart).
   */
  deliveries?: ComplaintCost;
}

export function costPerMillion(cost: ComplaintCost) {
  const lambdaRequests = cost.invocations.reduce((sum, entry) => sum + entry.count, 0);
  const gbSeconds = cost.invocations.reduce((sum, entry) => sum + entry.gbSeconds, 0);
  const writeUnits = cost.writeUnits.table + cost.writeUnits.indexes;
  const lines = [
    ['API Gateway REST', cost.httpRequests, prices.apiGatewayRestRequest, 'requests'],
    ['WAF', cost.httpRequests, prices.wafRequest, 'requests'],
    ['Lambda requests', lambdaRequests, prices.lambdaRequest, 'invocations'],
    ['Lambda GB-seconds', gbSeconds, prices.lambdaGbSecond, 'GB-s'],
    ['SQS', cost.sqsRequests, prices.sqsRequest, 'requests'],
    ['DynamoDB writes', writeUnits, prices.dynamodbWriteUnit, 'WRU'],
    ['DynamoDB reads', cost.readUnits, prices.dynamodbReadUnit, 'RRU'],
  ] as const;
  const parts = lines.map(([label, quantity, price, unit]) => ({
    label,
    quantity,
    price,
    unit,
    dollars: quantity * price,
  }));
  return { parts, total: parts.reduce((sum, part) => sum + part.dollars, 0) };
}

const quietMs = 2500;

/** The short complaint again once the table holds this many other complaints. */
export interface StoredComplaintsCost {
  stored: number;
  seedSeconds: number;
  cost: ComplaintCost;
}

/**
 * Complaints stored as intake and routing leave them (the complaint with its index keys,
 * its description, the GM's and the owner's assignments), in a year of their own so no
 * sweep walks them: batch writes, seeding only (the code has none).
 */
async function seedComplaints(from: number, to: number): Promise<void> {
  const year = 2039;
  const itemsOf = (index: number) => {
    const id = `bench-stored-${index}`;
    const reference = formatReference(year, index + 1);
    const createdAt = new Date(Date.UTC(year, 0, 1) + index * 60_000).toISOString();
    const assignment = (department: string) => ({
      ...keys.assignment(id, department),
      ...indexKeys.departmentStatus(department, 'routed', createdAt, id),
      complaintId: id,
      reference,
      department,
      status: 'routed',
      subject: 'Late delivery',
    });
    return [
      {
        ...keys.complaint(id),
        ...indexKeys.reference(reference),
        ...indexKeys.customer(`stored+${index % 5000}@customer.example`, createdAt),
        ...indexKeys.due('open', createdAt),
        id,
        reference,
        status: 'routed',
        subject: 'Late delivery',
        createdAt,
        updatedAt: createdAt,
      },
      { ...keys.complaintDescription(id), description: 'Delivery arrived two weeks late.' },
      assignment('gm'),
      assignment('sales'),
    ];
  };
  const batches: Record<string, unknown>[][] = [];
  let batch: Record<string, unknown>[] = [];
  for (let index = from; index < to; index++) {
    for (const item of itemsOf(index)) {
      batch.push({ PutRequest: { Item: item } });
      if (batch.length === 25) {
        batches.push(batch);
        batch = [];
      }
    }
  }
  if (batch.length > 0) batches.push(batch);
  let next = 0;
  const worker = async () => {
    for (let items = batches[next++]; items; items = batches[next++]) {
      let pending = items;
      while (pending.length > 0) {
        const result = await documentClient().send(
          new BatchWriteCommand({ RequestItems: { [localTableName]: pending } }),
        );
        pending = result.UnprocessedItems?.[localTableName] ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

/**
 * Posts each scenario alone on a fresh local host and counts everything it sets off; then,
 * for each of `storedSizes`, fills the table up to that many stored complaints and posts the
 * first scenario again.
 */
export async function measureComplaintCosts(
  storedSizes: readonly number[] = [],
  progress: (line: string) => void = () => undefined,
): Promise<{ costs: ComplaintCost[]; atStored: StoredComplaintsCost[] }> {
  process.env[meterVariable] = '1';
  const dataDir = await mkdtemp(join(tmpdir(), 'aftercare-bench-cost-'));
  const host = await startLocalHost({ port: 0, sesPort: 0, dataDir, clock: false });
  const channel = new BroadcastChannel(meterChannelName);
  let records: MeterRecord[] = [];
  let lastRecordAt = performance.now();
  channel.onmessage = (event) => {
    records.push((event as { data: MeterRecord }).data);
    lastRecordAt = performance.now();
  };
  const mailCount = async () =>
    ((await (await fetch(`${host.mailboxUrl}/store`)).json()) as { emails: unknown[] }).emails
      .length;
  const sqs = new SQSClient(clientOverrides('sqs'));
  // fauxqs serves SNS on its SQS endpoint.
  const sns = new SNSClient(clientOverrides('sqs'));
  const acceptedMails = () => readSesJournal(host.dataDir).accepted;
  const queued = async () => {
    let total = 0;
    for (const queue of ['routing', 'notification', 'mailEvents'] as const) {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: host.queueUrls[queue],
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      total +=
        Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
    }
    return total;
  };
  // Done when the queues are empty and nothing has been metered for a while.
  const settle = async () => {
    while (performance.now() - lastRecordAt < quietMs || (await queued()) > 0) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const post = async (body: Record<string, unknown>) => {
    const response = await fetch(`${host.url}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    if (response.status !== 202) throw new Error(`intake answered ${response.status}`);
  };
  try {
    // One of each first: every environment is warm and the day's first-time items exist.
    for (const scenario of scenarios) await post(scenario.body);
    await settle();
    const costs: ComplaintCost[] = [];
    for (const scenario of scenarios) {
      const mailsBefore = await mailCount();
      const journalBefore = acceptedMails().length;
      records = [];
      lastRecordAt = performance.now();
      // A new customer each time, as for most complaints.
      await post(fromNewCustomer(scenario));
      await settle();
      const cost = summarize(scenario.name, records, (await mailCount()) - mailsBefore);
      records = [];
      lastRecordAt = performance.now();
      for (const mail of acceptedMails().slice(journalBefore)) {
        for (const to of mail.destination) {
          await sns.send(
            new PublishCommand({
              TopicArn: host.mailEventTopicArn,
              Message: JSON.stringify(feedbackEvent('delivery', mail, to)),
            }),
          );
        }
      }
      await settle();
      costs.push({ ...cost, deliveries: summarize(`${scenario.name}, deliveries`, records, 0) });
    }
    const atStored: StoredComplaintsCost[] = [];
    const first = scenarios[0];
    let seeded = 0;
    for (const stored of storedSizes) {
      if (!first || stored < seeded) continue;
      progress(`  storing ${stored} complaints…`);
      const started = performance.now();
      await seedComplaints(seeded, stored);
      seeded = stored;
      const seedSeconds = (performance.now() - started) / 1000;
      // Seeding outlasts the configuration's cache: one complaint first reads it afresh, as
      // the scenarios' warm-up did.
      await post(fromNewCustomer(first));
      await settle();
      const mailsBefore = await mailCount();
      records = [];
      lastRecordAt = performance.now();
      await post(fromNewCustomer(first));
      await settle();
      atStored.push({
        stored,
        seedSeconds,
        cost: summarize(first.name, records, (await mailCount()) - mailsBefore),
      });
    }
    return { costs, atStored };
  } finally {
    channel.close();
    sqs.destroy();
    sns.destroy();
    await host.stop();
    delete process.env[meterVariable];
    await rm(dataDir, { recursive: true, force: true });
  }
}

function summarize(scenario: string, records: MeterRecord[], mails: number): ComplaintCost {
  const byIndex: Record<string, number> = {};
  const byFunction: Record<string, number> = {};
  let table = 0;
  let readUnits = 0;
  let dynamodbCalls = 0;
  const operations: Record<string, number> = {};
  const callsByFunction: Record<string, number> = {};
  let configurationReads = 0;
  let sqsRequests = 0;
  const invocations = new Map<string, { count: number; gbSeconds: number }>();
  for (const record of records) {
    if (record.kind === 'dynamodb') {
      dynamodbCalls++;
      operations[record.operation] = (operations[record.operation] ?? 0) + 1;
      const caller = record.by ?? 'other';
      callsByFunction[caller] = (callsByFunction[caller] ?? 0) + 1;
      if (record.target.startsWith('CONFIG')) configurationReads++;
      if (process.env.BENCH_COST_DETAIL) {
        const indexUnits = Object.entries(record.indexes).filter(([, value]) => value > 0);
        console.info(
          `    ${scenario}: ${record.by ?? '?'} ${record.operation} ${record.target} table ${record.table} read ${record.read}` +
            (indexUnits.length > 0
              ? ` indexes ${indexUnits.map((entry) => entry.join(' ')).join(', ')}`
              : ''),
        );
      }
      table += record.table;
      readUnits += record.read;
      const units = record.table + Object.values(record.indexes).reduce((sum, n) => sum + n, 0);
      if (units > 0) {
        const by = record.by ?? 'other';
        byFunction[by] = (byFunction[by] ?? 0) + units;
      }
      for (const [name, value] of Object.entries(record.indexes)) {
        byIndex[name] = (byIndex[name] ?? 0) + value;
      }
    } else if (record.kind === 'sqs') {
      sqsRequests += record.requests;
    } else {
      const entry = invocations.get(record.name) ?? { count: 0, gbSeconds: 0 };
      entry.count++;
      // Billed per millisecond, rounded up.
      entry.gbSeconds += (record.memoryMb / 1024) * (Math.ceil(record.ms) / 1000);
      invocations.set(record.name, entry);
      // A queue consumer's event source mapping receives and deletes its batch: two requests.
      const spec = functionSpecs[record.name as FunctionName];
      if (spec?.trigger.kind === 'queue') sqsRequests += 2;
    }
  }
  return {
    scenario,
    mails,
    writeUnits: {
      table,
      indexes: Object.values(byIndex).reduce((sum, value) => sum + value, 0),
      byIndex,
      byFunction,
    },
    readUnits,
    dynamodbCalls,
    callsByFunction,
    configurationReads,
    operations,
    sqsRequests,
    invocations: [...invocations].map(([name, entry]) => ({ name, ...entry })),
    httpRequests: 1,
  };
}
