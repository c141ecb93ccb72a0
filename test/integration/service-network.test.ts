/** Routing tells only the outlets of the network the last deployment configured. */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { listOutlets, networkKey } from '#functions/data/configuration.ts';
import { keys } from '#functions/data/keys.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { localTableName } from '#infra/local/host.ts';
import { useTestHost } from '#test/support/local-host.ts';

useTestHost();

const put = (item: Record<string, unknown>) =>
  documentClient().send(new PutCommand({ TableName: localTableName, Item: item }));

describe('the service network', () => {
  it('counts every seeded outlet while no deployment has named a generation', async () => {
    expect((await listOutlets()).map((outlet) => outlet.id)).toContain('south-china');
  });

  it('leaves out outlets a later deployment no longer lists', async () => {
    await put({
      ...keys.configuration('OUTLET', 'west-china'),
      id: 'west-china',
      name: { zh: '西南服务网点', en: 'South-West China outlet' },
      email: 'outlet-west@example.com',
      regions: ['CN-SC', 'CN-CQ'],
      language: 'zh',
      generation: 'g2',
    });
    await put({ ...networkKey, generation: 'g2' });
    expect((await listOutlets()).map((outlet) => outlet.id)).toEqual(['west-china']);
  });
});
