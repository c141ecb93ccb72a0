/**
 * `npm run bench`: performance figures, printed, never asserted on.
 *  1. per function: bundle size and the median time to import the bundle and reach a ready
 *     handler in a fresh Node process, as ratios over an empty handler and over an
 *     "SDK-only floor" that imports just the same AWS clients;
 *  2. intake latency on the local host next to the bare stand-in round trip it is made of,
 *     and next to a bare function doing that round trip behind the same local host;
 *  3. the survey's achieved send rate against the configured one;
 *  4. the statistics page's reads and time at different numbers of stored complaints.
 * Tune with BENCH_PARTS (cost,import,survey,intake,statistics), BENCH_STATISTICS_SIZES
 * (default 1000,100000), BENCH_IMPORT_RUNS (default 21), BENCH_FUNCTIONS (a comma-separated
 * list of functions to time, with their floors; all by default),
 * BENCH_POSTS (default 300), BENCH_PACED_POSTS (default a tenth of those), BENCH_SURVEY_RATES (default 10,20,50 a second) and
 * BENCH_SURVEY_CUSTOMERS (default half a minute's worth, at least 50).
 */

import os from 'node:os';
import {
  type Deployment,
  environmentFor,
  type FunctionName,
  type FunctionSpec,
  functions as functionSpecsByName,
  queueNames,
} from '#functions/wiring.ts';
import { nodeMajor } from '#infra/aws/bundling.ts';
import { baselineWriteUnits } from './baseline.ts';
import { type Bundle, buildBenchBundles, floorKey } from './bundles.ts';
import { costPerMillion, measureComplaintCosts } from './complaint-cost.ts';
import { importTimeRounds, median, quantile } from './import-time.ts';
import { measureIntake } from './intake.ts';
import { measureStatistics } from './statistics.ts';
import { measureSurveySendRate } from './survey-send-rate.ts';

const importRuns = Number(process.env.BENCH_IMPORT_RUNS ?? 21);
const posts = Number(process.env.BENCH_POSTS ?? 300);
const pacedPosts = Number(process.env.BENCH_PACED_POSTS ?? Math.max(5, Math.round(posts / 10)));

const say = (line = '') => console.info(line);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}×`;
const pad = (text: string, width: number) => text.padEnd(width);
const left = (text: string, width: number) => text.padStart(width);

if (Number(process.versions.node.split('.')[0]) !== nodeMajor) {
  console.warn(`Running on Node ${process.versions.node}; Lambda runs Node ${nodeMajor}.`);
}
process.env.LOG_LEVEL = 'silent';
const benchStarted = performance.now();
/** BENCH_PARTS=cost,import,survey,intake,statistics runs only those parts (all by default). */
const parts = new Set(
  (process.env.BENCH_PARTS ?? 'cost,import,survey,intake,statistics').split(','),
);

if (parts.has('cost')) {
  say('Cost of one complaint on AWS: intake, routing, its mails and their SES events, metered…');
  const storedSizes = (process.env.BENCH_COST_STORED ?? '1000,100000')
    .split(',')
    .map(Number)
    .filter((size) => Number.isInteger(size) && size > 0);
  const { costs, atStored } = await measureComplaintCosts(storedSizes, say);
  for (const cost of costs) {
    const { parts: lines, total } = costPerMillion(cost);
    const writes = cost.writeUnits.table + cost.writeUnits.indexes;
    say();
    say(
      `${cost.scenario}: ${cost.mails} mails, ${cost.dynamodbCalls} DynamoDB calls, ` +
        `${writes} write units (table ${cost.writeUnits.table}, index copies ${cost.writeUnits.indexes}: ` +
        `${Object.entries(cost.writeUnits.byIndex)
          .filter(([, value]) => value > 0)
          .map(([name, value]) => `${name} ${value}`)
          .join(', ')}), ${cost.readUnits} read units`,
    );
    say(
      `  write units by function: ${Object.entries(cost.writeUnits.byFunction)
        .map(([name, units]) => `${name} ${units}`)
        .join(', ')}`,
    );
    say(
      `  DynamoDB operations: ${Object.entries(cost.operations)
        .map(([operation, count]) => `${operation} ×${count}`)
        .join(
          ', ',
        )}; Scan ×${cost.operations.Scan ?? 0}: every call by key or index key, so the same at 1k or 100k stored complaints`,
    );
    say(
      `  invocations: ${cost.invocations.map((entry) => `${entry.name} ×${entry.count}`).join(', ')}`,
    );
    for (const line of lines) {
      say(
        `  ${pad(line.label, 20)}${left(line.quantity.toFixed(line.unit === 'GB-s' ? 4 : 1), 9)} ${pad(line.unit, 12)}` +
          `× $${line.price}/M = ${left(`$${line.dollars.toFixed(2)}`, 8)} per million complaints`,
      );
    }
    const baseline = baselineWriteUnits[cost.scenario];
    if (baseline !== undefined) {
      say(
        `  write units ${writes} against a target of at most ${baseline / 2} (half of ${baseline} before issue 14): ${ratio(writes, baseline)} of before`,
      );
    }
    // SES publishes asynchronously, after it answers (the local SES 200 ms after): the sender
    // marks first and the Send event only reads the marker. One that still came first (a
    // slow sender) wrote the sent state itself: printed apart.
    const raced = cost.writeUnits.byFunction.recordMailEvents ?? 0;
    if (raced > 0 && baseline !== undefined) {
      say(
        `  of which ${raced} by Send events that reached their mail before its sender's mark; ` +
          `with the sender first: ${writes - raced} write units, ${ratio(writes - raced, baseline)} of before`,
      );
    }
    say(`  ${pad('total', 42)}= ${left(`$${total.toFixed(2)}`, 8)} per million complaints`);
    if (cost.deliveries) {
      const delivered = costPerMillion(cost.deliveries);
      const deliveryWrites = cost.deliveries.writeUnits.table + cost.deliveries.writeUnits.indexes;
      say(
        `  and SES's Delivery event for each mail, as AWS publishes it (the local SES has none; the bench publishes them): ` +
          `${deliveryWrites} write units (only the customer's mail keeps its delivery), ${cost.deliveries.readUnits} read units, ` +
          `${cost.deliveries.invocations.reduce((sum, entry) => sum + entry.count, 0)} invocations: ` +
          `+$${delivered.total.toFixed(2)}, $${(total + delivered.total).toFixed(2)} per million complaints in all`,
      );
    }
  }
  if (atStored.length > 0) {
    say();
    say(
      'The short complaint again, with other complaints stored (seeded with their index entries):',
    );
    for (const { stored, seedSeconds, cost } of atStored) {
      // The configuration is kept a minute by each warm environment: how often it is read
      // depends on which environments took the complaint, not on what the table holds.
      say(
        `  ${pad(`${stored} stored`, 16)}${cost.dynamodbCalls - cost.configurationReads} DynamoDB calls on the complaint's items` +
          ` and ${cost.configurationReads} reads of the configuration (${Object.entries(
            cost.operations,
          )
            .map(([operation, count]) => `${operation} ×${count}`)
            .join(', ')}), ${cost.writeUnits.table + cost.writeUnits.indexes} write units, ` +
          `${cost.readUnits} read units, ${cost.mails} mails (seeded in ${seedSeconds.toFixed(0)} s)`,
      );
      say(
        `  ${pad('', 16)}calls by function: ${Object.entries(cost.callsByFunction)
          .map(([name, count]) => `${name} ${count}`)
          .join(', ')}`,
      );
    }
  }
  say();
}

if (parts.has('import')) {
  say(
    `Bundling ${Object.keys(functionSpecsByName).length} functions with the stack's esbuild settings…`,
  );
  const built = await buildBenchBundles();
  const picked = process.env.BENCH_FUNCTIONS?.split(',');
  const functions = picked
    ? built.functions.filter((bundle) => picked.includes(bundle.name))
    : built.functions;
  const floorKeys = new Set(functions.map(floorKey));
  const bundles = {
    ...built,
    functions,
    floors: new Map([...built.floors].filter(([key]) => floorKeys.has(key))),
  };

  const placeholder: Deployment = {
    tableName: 'aftercare-bench',
    attachmentsBucket: 'aftercare-bench-attachments',
    queueUrls: Object.fromEntries(
      queueNames.map((queue) => [
        queue,
        `https://sqs.us-east-1.amazonaws.com/000000000000/${queue}`,
      ]),
    ) as Deployment['queueUrls'],
    publicBaseUrl: 'https://bench.example.com/prod',
    mail: { from: 'Aftercare <aftercare@example.com>', replyTo: 'service@example.com' },
    staffIdentity: {
      userPoolId: 'us-east-1_bench',
      clientId: 'bench',
      issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench',
    },
  };
  const baseEnvironment = { AWS_REGION: 'us-east-1', LOG_LEVEL: 'silent' };
  const environmentOf = (bundle: Bundle): Record<string, string> => {
    const spec = functionSpecsByName[bundle.name as FunctionName];
    return spec ? { ...baseEnvironment, ...environmentFor(spec, placeholder) } : baseEnvironment;
  };
  const everyBundle = [bundles.empty, ...bundles.floors.values(), ...bundles.functions];
  say(`Timing import → ready handler, ${importRuns} fresh Node processes per bundle…`);
  const rounds = await importTimeRounds(
    everyBundle.map((bundle) => ({ file: bundle.file, environment: environmentOf(bundle) })),
    importRuns,
  );
  const roundsOf = (bundle: Bundle) => rounds.get(bundle.file) ?? [];
  const timeOf = (bundle: Bundle) => median(roundsOf(bundle));
  /** Per round, the function's time over its floor's, timed next to it: median and quartiles. */
  const pairedRatio = (bundle: Bundle, floor: Bundle) => {
    const floorRounds = roundsOf(floor);
    const ratios = roundsOf(bundle).map(
      (value, round) => value / (floorRounds[round] ?? Number.NaN),
    );
    return { median: median(ratios), low: quantile(ratios, 0.25), high: quantile(ratios, 0.75) };
  };
  const emptyTime = timeOf(bundles.empty);

  say();
  say(
    `Cold start: import of the bundle to a ready handler (median of ${importRuns} paired rounds, Node ${process.versions.node})`,
  );
  say(
    `${pad('function', 26)}${left('bundle', 11)}${left('gzip', 10)}${left('import', 11)}` +
      `${left('× empty', 9)}${left('floor', 10)}${left('× floor', 9)}  quartiles    target  own code over floor`,
  );
  for (const bundle of bundles.functions) {
    const floor = bundles.floors.get(floorKey(bundle));
    const floorTime = floor ? timeOf(floor) : Number.NaN;
    const paired = floor ? pairedRatio(bundle, floor) : undefined;
    say(
      `${pad(bundle.name, 26)}${left(kb(bundle.bytes), 11)}${left(kb(bundle.gzipBytes), 10)}` +
        `${left(ms(timeOf(bundle)), 11)}${left(ratio(timeOf(bundle), emptyTime), 9)}` +
        `${left(ms(floorTime), 10)}${left(paired ? `${paired.median.toFixed(2)}×` : '', 9)}` +
        `  ${pad(paired ? `${paired.low.toFixed(2)}–${paired.high.toFixed(2)}` : '', 11)}` +
        `  ${paired ? (paired.median <= 1.15 ? '≤1.15 ✓' : '≤1.15 ✗') : '       '}` +
        `  ${floor ? `+${kb(bundle.bytes - floor.bytes)}` : ''}`,
    );
  }
  const staffBundles = bundles.functions.filter((bundle) => {
    const spec: FunctionSpec | undefined = functionSpecsByName[bundle.name as FunctionName];
    return spec?.staffIdentity === true;
  });
  const heaviestStaff = staffBundles.sort((a, b) => b.bytes - a.bytes)[0];
  if (heaviestStaff) {
    const floor = bundles.floors.get(floorKey(heaviestStaff));
    say(
      `Heaviest staff handler: ${heaviestStaff.name}, ${kb(heaviestStaff.bytes)}, ${ms(timeOf(heaviestStaff))} to a ready handler` +
        ` against ${floor ? `${ms(timeOf(floor))} for its SDK-only floor (${ratio(timeOf(heaviestStaff), timeOf(floor))})` : 'no floor'}.`,
    );
  }
  say();
  say(
    `${pad('empty handler', 26)}${left(kb(bundles.empty.bytes), 11)}${left('', 10)}${left(ms(emptyTime), 11)}`,
  );
  for (const floor of bundles.floors.values()) {
    say(
      `${pad(floor.name, 26)}${left(kb(floor.bytes), 11)}${left(kb(floor.gzipBytes), 10)}` +
        `${left(ms(timeOf(floor)), 11)}${left(ratio(timeOf(floor), emptyTime), 9)}` +
        `  ${floor.awsPackages.map((pkg) => pkg.replace('@aws-sdk/', '')).join(', ') || (floor.libraries.length > 0 ? `(no AWS client) libraries: ${floor.libraries.join(', ')}` : '(no AWS client)')}` +
        `${floor.awsCommands.length > 0 ? ` + ${floor.awsCommands.length} commands` : ''}`,
    );
  }
}

if (parts.has('survey')) {
  const surveyRates = (process.env.BENCH_SURVEY_RATES ?? '10,20,50').split(',').map(Number);
  for (const surveyRate of surveyRates) {
    // Half a minute's worth of invitations (a year's campaign sends thousands): long enough
    // that the pacing, not the environments' cold start, decides the rate from the start.
    const surveyCustomers = Number(
      process.env.BENCH_SURVEY_CUSTOMERS ?? Math.max(50, surveyRate * 30),
    );
    say();
    say(`Survey pacing: ${surveyCustomers} invitations at a configured ${surveyRate} a second…`);
    const pacing = await measureSurveySendRate(surveyCustomers, surveyRate);
    const achieved = pacing.achievedPerSecond / pacing.configuredPerSecond;
    say(
      `${pad('achieved send rate', 34)}${left(`${pacing.achievedPerSecond.toFixed(1)}/s`, 10)}` +
        `   ${ratio(pacing.achievedPerSecond, pacing.configuredPerSecond)} of ${pacing.configuredPerSecond}/s` +
        ` (target 0.95–1.05×: ${achieved >= 0.95 && achieved <= 1.05 ? '✓' : '✗'}; ${pacing.customers} mails in ${pacing.seconds.toFixed(1)} s)`,
    );
    say(
      `${pad('  first mail to last', 34)}${left(`${pacing.sendingPerSecond.toFixed(1)}/s`, 10)}` +
        `   ${ratio(pacing.sendingPerSecond, pacing.configuredPerSecond)} (first mail after ${pacing.firstMailSeconds.toFixed(1)} s)`,
    );
    say(
      `${pad('  mean one-second window', 34)}${left(pacing.meanSecond.toFixed(1), 10)}` +
        `   ${ratio(pacing.meanSecond, pacing.configuredPerSecond)} (first mail to last, window by window)`,
    );
    say(
      `${pad('busiest one-second window', 34)}${left(String(pacing.busiestSecond), 10)}` +
        `   (target ≤ ${Math.ceil(pacing.configuredPerSecond * 1.05)})`,
    );
    say(
      `${pad('CPU per mail, all threads', 34)}${left(`${pacing.cpuMsPerMail.toFixed(0)} ms`, 10)}` +
        `   (${os.loadavg()[0]?.toFixed(1)} load average at the end, on ${os.availableParallelism()} cores)`,
    );
    say(
      `${pad('distinct recipients, duplicates', 34)}${left(`${pacing.recipients}, ${pacing.duplicates}`, 10)}` +
        `   (target ${pacing.customers}, 0)`,
    );
  }
}

if (parts.has('intake')) {
  say();
  say(
    `Intake on the local host: ${posts} sequential JSON posts back to back, then ${pacedPosts} spaced 0.6 s apart…`,
  );
  const intake = await measureIntake(posts, pacedPosts);
  const row = (label: string, figures: { p50: number; p99: number }) =>
    say(`${pad(label, 34)}${left(ms(figures.p50), 10)}${left(ms(figures.p99), 10)}`);
  const ratioRow = (label: string, over: { p50: number; p99: number }, floor: typeof over) => {
    const p50 = over.p50 / floor.p50;
    const p99 = over.p99 / floor.p99;
    say(
      `${pad(label, 34)}${left(ratio(over.p50, floor.p50), 10)}${left(ratio(over.p99, floor.p99), 10)}` +
        `   (target ≤ 1.50× ${p50 <= 1.5 ? '✓' : '✗'}, ≤ 2.00× ${p99 <= 2 ? '✓' : '✗'})`,
    );
  };
  say(`${pad('', 34)}${left('p50', 10)}${left('p99', 10)}`);
  row('POST /complaints (local host)', intake.intake);
  row('  spaced out (consumers idle)', intake.paced);
  row('bare function (local host)', intake.bareFunction);
  row('  spaced out, after each intake', intake.bareFunctionPaced);
  row("bare fn. making intake's calls", intake.intakeCallsPaced);
  row('bare PutItem + SendMessage', intake.bare);
  say(
    `${pad('ratio intake / bare', 34)}${left(ratio(intake.intake.p50, intake.bare.p50), 10)}${left(ratio(intake.intake.p99, intake.bare.p99), 10)}`,
  );
  ratioRow('ratio spaced intake / bare', intake.paced, intake.bare);
  ratioRow('ratio spaced intake / bare fn.', intake.paced, intake.bareFunctionPaced);
  say(
    `${pad('ratio spaced intake / calls fn.', 34)}${left(ratio(intake.paced.p50, intake.intakeCallsPaced.p50), 10)}${left(ratio(intake.paced.p99, intake.intakeCallsPaced.p99), 10)}` +
      '   (what our code adds to the calls)',
  );
  say(
    'The bare function: one PutItem and one SendMessage behind the same HTTP server, local API' +
      ' Gateway and worker thread as intake, posted the same body, taking turns with the spaced posts.',
  );
  say(
    "The bare function making intake's calls: its three writes side by side (counter, address," +
      ' description), then the complaint beside the message, with none of our code around them.',
  );
  say(
    'The queue consumers (routing, emails) share the local host\u2019s one process: back to back,' +
      ' each post competes with the work the previous ones queued.',
  );
}

if (parts.has('statistics')) {
  const statisticsSizes = (process.env.BENCH_STATISTICS_SIZES ?? '1000,100000')
    .split(',')
    .map(Number)
    .filter((size) => Number.isInteger(size) && size > 0);
  say();
  say(
    `Statistics of a year at ${statisticsSizes.join(' and ')} stored complaints (register rows seeded directly)…`,
  );
  say(
    `${pad('complaints', 12)}${left('cold', 10)}${left('rows read', 11)}${left('warm', 10)}` +
      `${left('rows read', 11)}${left('summaries', 11)}${left('register page', 15)}`,
  );
  const statisticsFigures = await measureStatistics(statisticsSizes);
  for (const figure of statisticsFigures) {
    say(
      `${pad(String(figure.complaints), 12)}${left(ms(figure.cold.ms), 10)}${left(String(figure.cold.cost.rowsRead), 11)}` +
        `${left(ms(figure.warm.ms), 10)}${left(String(figure.warm.cost.rowsRead), 11)}` +
        `${left(String(figure.warm.cost.cachedMonths), 11)}${left(ms(figure.registerPageMs), 15)}`,
    );
  }
  for (const figure of statisticsFigures) {
    say(
      `  largest month summary at ${figure.complaints}: ${figure.largestSummaryBytes} bytes, ` +
        `${Math.ceil(figure.largestSummaryBytes / 1024)} write units a bump would cost on it; ` +
        'each row write bumps the change count, an item of its own: 1 unit',
    );
  }
  for (const figure of statisticsFigures) {
    for (const file of figure.exports) {
      say(
        `  export of ${figure.complaints} rows as ${file.format}: ${(file.ms / 1000).toFixed(1)} s, ` +
          `${(file.bytes / 1_048_576).toFixed(1)} MB`,
      );
    }
  }
  say(
    'Cold: each month summary is built from its rows once and cached; warm: cached summaries only' +
      ' (the suggestions too), whatever the number of complaints.',
  );
}

say();
say(`Bench finished in ${((performance.now() - benchStarted) / 1000).toFixed(0)} s.`);
