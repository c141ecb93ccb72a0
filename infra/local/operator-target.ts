/**
 * Operator commands (`npm run customers:import`, `npm run survey:report`,
 * `npm run privacy:erase`) work on the running
 * local host, or on AWS when `TABLE_NAME` is set (with the usual AWS credentials). The local
 * host leaves its endpoints in its data folder for them.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { localEndpointVariables } from '#functions/shared/aws/local-endpoints.ts';
import { environmentNames } from '#functions/wiring.ts';
import { repositoryRoot } from './lambda-runtime.ts';

export interface LocalTarget {
  tableName: string;
  endpoints: Record<keyof typeof localEndpointVariables, string>;
  queueUrls: Record<string, string>;
  url: string;
  staffIdentity: { userPoolId: string; clientId: string; issuer: string };
  attachmentsBucket?: string;
  /** The mail-event topic on fauxqs's SNS (for `npm run ses:feedback`). */
  mailEventTopicArn?: string;
}

const fileName = 'local-host.json';

export async function recordLocalTarget(dataDir: string, target: LocalTarget): Promise<void> {
  await writeFile(join(dataDir, fileName), `${JSON.stringify(target, null, 2)}\n`);
}

/** Points this process's AWS clients at the running local host, unless AWS was asked for. */
export async function useOperatorTarget(): Promise<string> {
  if (process.env[environmentNames.tableName])
    return `AWS table ${process.env[environmentNames.tableName]}`;
  const target = await runningLocalTarget();
  process.env[environmentNames.tableName] = target.tableName;
  pointClientsAt(target);
  return `local host at ${target.url}`;
}

/**
 * The staff user pool to manage: on AWS when `STAFF_USER_POOL_ID` is set (Cognito then
 * emails new users their temporary password), else the running local host's.
 */
export async function useStaffPoolTarget(): Promise<{
  userPoolId: string;
  where: string;
  local: boolean;
}> {
  const poolOnAws = process.env[environmentNames.staffUserPoolId];
  if (poolOnAws)
    return { userPoolId: poolOnAws, where: `AWS user pool ${poolOnAws}`, local: false };
  const target = await runningLocalTarget();
  pointClientsAt(target);
  return {
    userPoolId: target.staffIdentity.userPoolId,
    where: `local host at ${target.url}`,
    local: true,
  };
}

function pointClientsAt(target: LocalTarget): void {
  for (const [service, variable] of Object.entries(localEndpointVariables)) {
    process.env[variable] = target.endpoints[service as keyof LocalTarget['endpoints']];
  }
}

export async function runningLocalTarget(): Promise<LocalTarget> {
  const dataDir = resolve(process.env.AFTERCARE_DATA_DIR ?? join(repositoryRoot, '.data'));
  let target: LocalTarget;
  try {
    target = JSON.parse(await readFile(join(dataDir, fileName), 'utf8')) as LocalTarget;
  } catch {
    throw new Error(
      `No local host data in ${dataDir}: start it with npm start (or name the AWS resource, see the README).`,
    );
  }
  try {
    await fetch(`${target.url}/health`);
  } catch {
    throw new Error(`The local host at ${target.url} is not running: start it with npm start.`);
  }
  if (target.attachmentsBucket) {
    process.env[environmentNames.attachmentsBucket] = target.attachmentsBucket;
  }
  return target;
}
