/** The stage's working calendar, as the deploy writes it, reaches the routing policy. */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { calendarKey, getRoutingPolicy } from '#functions/data/configuration.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { localTableName } from '#infra/local/host.ts';
import { useTestHost } from '#test/support/local-host.ts';

describe('the working calendar', () => {
  useTestHost();

  it('gives the routing policy its holidays and working weekend days', async () => {
    expect((await getRoutingPolicy()).calendar).toBeUndefined();
    await documentClient().send(
      new PutCommand({
        TableName: localTableName,
        Item: { ...calendarKey, holidays: ['2027-02-08'], workingWeekendDays: ['2027-02-06'] },
      }),
    );
    expect((await getRoutingPolicy()).calendar).toEqual({
      holidays: ['2027-02-08'],
      workingWeekendDays: ['2027-02-06'],
    });
  });
});
