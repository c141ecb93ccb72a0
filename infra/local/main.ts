/** `npm start`: the whole system on this machine, on its embedded stand-ins. */
import { startLocalHost } from './host.ts';

const port = Number(process.env.PORT ?? 3000);
const sesPort = Number(process.env.SES_PORT ?? 8005);

function describe(error: unknown): string {
  return error instanceof Error ? error.message : error === undefined ? '' : String(error);
}

console.info('Aftercare: starting the local host…');
const host = await startLocalHost({
  port,
  sesPort,
  dataDir: process.env.AFTERCARE_DATA_DIR,
  dynamodbPort: Number(process.env.DYNAMODB_PORT ?? 0),
  sqsPort: Number(process.env.SQS_PORT ?? 0),
  report: (message, error) => console.error(`[local host] ${message} ${describe(error)}`),
}).catch((error: unknown) => {
  console.error(`Aftercare could not start: ${describe(error)}`);
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    console.error('A port is taken: set PORT or SES_PORT to free ones.');
  }
  process.exit(1);
});

console.info(`
Aftercare is running.
  Complaint form   ${host.url}/   (English: ${host.url}/?lang=en)
  Status lookup    ${host.url}/status
  API              ${host.url}/complaints   (POST JSON or form; GET /complaints/{reference}?email=)
  Health           ${host.url}/health
  Mailbox (SES)    ${host.mailboxUrl}/       (JSON store: ${host.mailboxUrl}/store)
  Staff console    ${host.url}/staff/ (add yourself: npm run staff:add -- --email E --name N --role gm)
  DynamoDB         ${host.endpoints.dynamodb}
  SQS              ${host.endpoints.sqs}
  Data folder      ${host.dataDir}
Fire a schedule now with: npm run fire -- enqueue-sweep
Press Ctrl-C to stop.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.info('\nStopping…');
    host.stop().then(
      () => {
        console.info('Stopped. Data is kept in', host.dataDir);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`Stopping failed: ${describe(error)}`);
        process.exit(1);
      },
    );
  });
}
