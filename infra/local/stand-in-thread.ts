/**
 * One stand-in (dynalite or fauxqs) on a worker thread of its own. On the host's main thread
 * they queued behind each other, the SES stand-in, the pollers and the API: profiled under
 * the bench, that thread was busy 88 % of the time, and every DynamoDB call waited for
 * fauxqs's writes and the other way round. Each now has its own event loop; they are reached
 * over HTTP as before, and a kill of the host still takes them with it (same process).
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as z from 'zod/mini';

const setup = z.object({
  kind: z.enum(['dynamodb', 'sqs']),
  dataDir: z.string(),
  port: z.number(),
});

const port = parentPort;
if (!port) throw new Error('stand-in-thread.ts runs as a worker thread of the local host');
const { kind, dataDir, port: wanted } = setup.parse(workerData);
const { startDynamoDbHere, startSqsHere } = await import('./stand-in-servers.ts');
const standIn =
  kind === 'dynamodb'
    ? await startDynamoDbHere(dataDir, wanted)
    : await startSqsHere(dataDir, wanted);
port.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  standIn.stop().then(
    () => port.postMessage({ stopped: true }),
    () => port.postMessage({ stopped: true }),
  );
});
port.postMessage({ endpoint: standIn.endpoint, port: standIn.port });
