/**
 * `npm run ses:feedback -- bounce|complaint|delivery ADDRESS [--transient]`: what SES would
 * publish when the last mail to ADDRESS bounces, is reported as spam or is delivered, in
 * SES's own event record format, published to the running local host's mail-event topic on
 * fauxqs's SNS. The same topic → queue → `recordMailEvents` path then runs as on AWS. The
 * mail is found in the local SES's journal of accepted mail, which keeps its tags
 * (aws-ses-v2-local's store keeps the headers but not the tags that name the mail's marker).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { localRegion } from '#functions/shared/aws/local-endpoints.ts';
import { repositoryRoot } from './lambda-runtime.ts';
import { runningLocalTarget } from './operator-target.ts';
import { feedbackEvent, feedbackKinds, lastMailTo } from './ses-feedback-events.ts';

const usage = 'Usage: npm run ses:feedback -- bounce|complaint|delivery ADDRESS [--transient]';

async function main(): Promise<void> {
  let kind: string | undefined;
  let address: string | undefined;
  let transient = false;
  try {
    const { positionals, values } = parseArgs({
      options: { transient: { type: 'boolean', default: false } },
      allowPositionals: true,
    });
    [kind, address] = positionals;
    transient = values.transient ?? false;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(usage);
    process.exit(2);
  }
  const feedback = feedbackKinds.find((candidate) => candidate === kind);
  if (!feedback || !address?.includes('@')) {
    console.error(usage);
    process.exit(2);
  }
  const target = await runningLocalTarget();
  if (!target.mailEventTopicArn) {
    console.error('The running local host has no mail-event topic: restart it with npm start.');
    process.exit(1);
  }
  const dataDir = resolve(process.env.AFTERCARE_DATA_DIR ?? join(repositoryRoot, '.data'));
  const mail = lastMailTo(dataDir, address);
  if (!mail) {
    console.error(`The local SES has accepted no mail to ${address}.`);
    process.exit(1);
  }
  const sns = new SNSClient({
    endpoint: target.endpoints.sqs,
    region: localRegion,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await sns.send(
    new PublishCommand({
      TopicArn: target.mailEventTopicArn,
      Message: JSON.stringify(feedbackEvent(feedback, mail, address, { transient })),
    }),
  );
  console.info(
    `Published SES's ${feedback}${feedback === 'bounce' ? (transient ? ' (transient)' : ' (permanent)') : ''} event for mail ${mail.messageId} ("${mail.subject}") to ${address}.`,
  );
}

await main();
