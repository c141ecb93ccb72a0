/** `npm run fire -- NAME --at TIME` fires a schedule on the running host as if at that time. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '#functions/data/keys.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { localTableName } from '#infra/local/host.ts';
import { repositoryRoot } from '#infra/local/lambda-runtime.ts';
import { useTestHost } from '#test/support/local-host.ts';

const run = promisify(execFile);
const node = join(repositoryRoot, 'node_modules/.bin/node');
const fire = join(repositoryRoot, 'infra/local/fire.ts');

describe('firing a schedule as if at a given time', () => {
  const host = useTestHost();
  const portOf = () => new URL(host().url).port;

  it('hands the function that time as its scheduled time', async () => {
    const { stdout } = await run(
      node,
      [fire, 'survey-campaign', '--at', '2031-01-15T09:00:00+08:00'],
      { env: { ...process.env, PORT: portOf() } },
    );
    expect(stdout).toContain('Fired survey-campaign as if at 2031-01-15T09:00:00+08:00');
    const campaign = await documentClient().send(
      new GetCommand({ TableName: localTableName, Key: keys.surveyCampaign(2031) }),
    );
    expect(campaign.Item).toBeDefined();
  });

  it('refuses a time that is not ISO 8601, and fires nothing', async () => {
    const failure = await run(node, [fire, 'survey-campaign', '--at', 'next tuesday'], {
      env: { ...process.env, PORT: portOf() },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect(String((failure as { stderr: string }).stderr)).toContain(
      '--at must be an ISO 8601 time',
    );
  });
});
