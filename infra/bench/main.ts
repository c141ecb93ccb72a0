/**
 * `npm run bench`: performance figures, printed, never asserted on.
 *  1. per function: bundle size and the median time to import the bundle and reach a ready
 *     handler in a fresh Node process, as ratios over an empty handler and over an
 *     "SDK-only floor" that imports just the same AWS clients;
 *  2. intake latency on the local host next to the bare stand-in round trip it is made of;
 *  3. the survey's achieved send rate against the configured one;
 *  4. the statistics page's reads and time at different numbers of stored complaints.
 * Tune with BENCH_IMPORT_RUNS (default 15), BENCH_POSTS (default 300), BENCH_SURVEY_CUSTOMERS
 * (default 100), BENCH_SURVEY_RATE (default 20 a second) and BENCH_STATISTICS_SIZES
 * (default 1000,100000).
 */
import {
  type Deployment,
  environmentFor,
  type FunctionName,
  type FunctionSpec,
  functions as functionSpecsByName,
  queueNames,
} from '#functions/wiring.ts';
import { nodeMajor } from '#infra/aws/bundling.ts';
import { type Bundle, buildBenchBundles, floorKey } from './bundles.ts';
import { medianImportTimes } from './import-time.ts';
import { measureIntake } from './intake.ts';
import { measureStatistics } from './statistics.ts';
import { measureSurveySendRate } from './survey-send-rate.ts';

const importRuns = Number(process.env.BENCH_IMPORT_RUNS ?? 15);
const posts = Number(process.env.BENCH_POSTS ?? 300);
const pacedPosts = Math.max(5, Math.round(posts / 10));

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

say(
  `Bundling ${Object.keys(functionSpecsByName).length} functions with the stack's esbuild settings…`,
);
const bundles = await buildBenchBundles();

const placeholder: Deployment = {
  tableName: 'aftercare-bench',
  attachmentsBucket: 'aftercare-bench-attachments',
  queueUrls: Object.fromEntries(
    queueNames.map((queue) => [queue, `https://sqs.us-east-1.amazonaws.com/000000000000/${queue}`]),
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
const times = await medianImportTimes(
  everyBundle.map((bundle) => ({ file: bundle.file, environment: environmentOf(bundle) })),
  importRuns,
);
const timeOf = (bundle: Bundle) => times.get(bundle.file) ?? Number.NaN;
const emptyTime = timeOf(bundles.empty);

say();
say(
  `Cold start: import of the bundle to a ready handler (median of ${importRuns}, Node ${process.versions.node})`,
);
say(
  `${pad('function', 26)}${left('bundle', 11)}${left('gzip', 10)}${left('import', 11)}` +
    `${left('× empty', 9)}${left('floor', 10)}${left('× floor', 9)}  own code over floor`,
);
for (const bundle of bundles.functions) {
  const floor = bundles.floors.get(floorKey(bundle));
  const floorTime = floor ? timeOf(floor) : Number.NaN;
  say(
    `${pad(bundle.name, 26)}${left(kb(bundle.bytes), 11)}${left(kb(bundle.gzipBytes), 10)}` +
      `${left(ms(timeOf(bundle)), 11)}${left(ratio(timeOf(bundle), emptyTime), 9)}` +
      `${left(ms(floorTime), 10)}${left(ratio(timeOf(bundle), floorTime), 9)}` +
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
      `  ${floor.awsPackages.map((pkg) => pkg.replace('@aws-sdk/', '')).join(', ') || '(no AWS client)'}` +
      `${floor.awsCommands.length > 0 ? ` + ${floor.awsCommands.length} commands` : ''}`,
  );
}

const surveyCustomers = Number(process.env.BENCH_SURVEY_CUSTOMERS ?? 100);
const surveyRate = Number(process.env.BENCH_SURVEY_RATE ?? 20);
say();
say(`Survey pacing: ${surveyCustomers} invitations at a configured ${surveyRate} a second…`);
const pacing = await measureSurveySendRate(surveyCustomers, surveyRate);
say(`${pad('configured send rate', 34)}${left(`${pacing.configuredPerSecond.toFixed(1)}/s`, 10)}`);
say(
  `${pad('achieved send rate', 34)}${left(`${pacing.achievedPerSecond.toFixed(1)}/s`, 10)}` +
    `   (${pacing.customers} mails in ${pacing.seconds.toFixed(1)} s; ratio ${ratio(pacing.achievedPerSecond, pacing.configuredPerSecond)})`,
);

say();
say(
  `Intake on the local host: ${posts} sequential JSON posts back to back, then ${pacedPosts} spaced 0.6 s apart…`,
);
const intake = await measureIntake(posts, pacedPosts);
say(`${pad('', 34)}${left('p50', 10)}${left('p99', 10)}`);
say(
  `${pad('POST /complaints (local host)', 34)}${left(ms(intake.intake.p50), 10)}${left(ms(intake.intake.p99), 10)}`,
);
say(
  `${pad('  spaced out (consumers idle)', 34)}${left(ms(intake.paced.p50), 10)}${left(ms(intake.paced.p99), 10)}`,
);
say(
  `${pad('bare PutItem + SendMessage', 34)}${left(ms(intake.bare.p50), 10)}${left(ms(intake.bare.p99), 10)}`,
);
say(
  `${pad('ratio intake / bare', 34)}${left(ratio(intake.intake.p50, intake.bare.p50), 10)}${left(ratio(intake.intake.p99, intake.bare.p99), 10)}`,
);
say(
  `${pad('ratio spaced intake / bare', 34)}${left(ratio(intake.paced.p50, intake.bare.p50), 10)}${left(ratio(intake.paced.p99, intake.bare.p99), 10)}`,
);
say(
  'The queue consumers (routing, emails) share the local host\u2019s one process: back to back,' +
    ' each post competes with the work the previous ones queued.',
);

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

say();
say(`Bench finished in ${((performance.now() - benchStarted) / 1000).toFixed(0)} s.`);
