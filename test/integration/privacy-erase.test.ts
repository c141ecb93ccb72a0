/**
 * `npm run privacy:erase`: a person's data goes from everywhere it is kept, the statistics
 * that name no one stay, and each complaint's history says it was done and by whom.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { listAttachments } from '#functions/data/attachments.ts';
import { getComplaint } from '#functions/data/complaints.ts';
import { getCustomer, upsertCustomer } from '#functions/data/customers.ts';
import { keys } from '#functions/data/keys.ts';
import { getInvitation, invitationsOf, recordAnswer } from '#functions/data/surveys.ts';
import { chinaMonth } from '#functions/domain/register.ts';
import { recordUpload } from '#functions/services/attachments.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { s3Client } from '#functions/shared/aws/s3.ts';
import { businessYear } from '#functions/shared/clock.ts';
import { localAttachmentsBucket, localTableName } from '#infra/local/host.ts';
import { postJson, useTestHost, validComplaint, waitFor } from '#test/support/local-host.ts';

const run = promisify(execFile);
const email = 'zhao.lin@customer.example';
const bystander = 'qian.wei@customer.example';

describe('privacy:erase', () => {
  const host = useTestHost();

  const erase = (...args: string[]) =>
    run(process.execPath, ['infra/local/privacy-erase.ts', '--email', email, ...args], {
      env: { ...process.env, AFTERCARE_DATA_DIR: host().dataDir, TABLE_NAME: '' },
    });

  it('lists, then erases, everything kept under one address and nothing else', async () => {
    const file = async (address: string, name: string) => {
      const customer = { ...validComplaint().customer, email: address, name };
      const response = await postJson(host(), '/complaints', validComplaint({ customer }));
      return (await response.json()) as { id: string; reference: string };
    };
    const mine = await file(email, '赵琳');
    const theirs = await file(bystander, '钱伟');
    const upload = randomUUID();
    const key = `incoming/${mine.id}/${upload}/corner.jpg`;
    await s3Client().send(
      new PutObjectCommand({
        Bucket: localAttachmentsBucket,
        Key: key,
        Body: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64)]),
      }),
    );
    expect((await recordUpload(mine, key, new Date())).outcome).toBe('recorded');
    const profile = {
      email,
      name: '赵琳',
      company: '西北铝门窗厂',
      market: 'domestic' as const,
      region: 'CN-SN',
      language: 'zh' as const,
    };
    await upsertCustomer(profile, 'import', new Date().toISOString());
    await upsertCustomer(
      { ...profile, email: bystander, name: '钱伟' },
      'import',
      new Date().toISOString(),
    );
    await host().fire('survey-campaign');
    const year = businessYear(new Date());
    await waitFor(async () => (await getInvitation(year, email))?.sentAt, 'the invitation');
    const ratings = {
      productQuality: 2,
      delivery: 3,
      documents: 4,
      goodsAccuracy: 5,
      afterSalesService: 4,
      overall: 3,
    } as const;
    expect(
      await recordAnswer(
        year,
        email,
        { ratings, recommend: 6, suggestions: '赵琳：请联系我 138 0000 0000' },
        new Date().toISOString(),
      ),
    ).toBe(true);

    // The acknowledgement went out, so its marker holds the address.
    await waitFor(async () => {
      const items = await documentClient().send(
        new QueryCommand({
          TableName: localTableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :marker)',
          ExpressionAttributeValues: {
            ':pk': keys.complaintPartition(mine.id),
            ':marker': 'NOTIFICATION#received',
          },
        }),
      );
      return items.Items?.find((item) => item.state === 'sent');
    }, 'the acknowledgement');
    const dryRun = await erase('--dry-run');
    expect(dryRun.stdout).toContain('Would erase the personal data of zhao.lin@customer.example');
    expect(dryRun.stdout).toContain(`${mine.reference} (1 file deleted)`);
    expect(dryRun.stdout).toContain('customer registry entry deleted: yes');
    expect(dryRun.stdout).toContain(
      `survey answers anonymised (ratings kept, words dropped): ${year}`,
    );
    expect((await getComplaint(mine.id))?.customer.email).toBe(email);

    const done = await erase('--by', 'dpo@maker.example');
    expect(done.stdout).toContain('Did erase');

    const erased = await getComplaint(mine.id);
    expect(erased?.customer.email).toMatch(/^erased-.+@erased\.invalid$/);
    expect(erased?.customer).toEqual({
      name: '[erased]',
      email: erased?.customer.email,
      market: 'domestic',
      region: 'CN-GD',
    });
    expect([erased?.subject, erased?.description]).toEqual(['[erased]', '[erased]']);
    expect(erased?.category).toBe('quality');
    expect(JSON.stringify(erased)).not.toContain('赵琳');
    // The files and their records are gone.
    expect(await listAttachments(mine.id)).toEqual([]);
    const objects = await s3Client().send(
      new ListObjectsV2Command({
        Bucket: localAttachmentsBucket,
        Prefix: `complaints/${mine.id}/`,
      }),
    );
    expect(objects.Contents ?? []).toEqual([]);
    // One history event: done, and by whom.
    const history = await documentClient().send(
      new QueryCommand({
        TableName: localTableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
        ExpressionAttributeValues: { ':pk': keys.complaintPartition(mine.id), ':event': 'EVENT#' },
      }),
    );
    const erasures = (history.Items ?? []).filter((item) => item.type === 'personal_data_erased');
    expect(erasures.map((item) => item.actor)).toEqual(['dpo@maker.example']);
    // Nothing left in the complaint's partition names the address or the person.
    const partition = await documentClient().send(
      new QueryCommand({
        TableName: localTableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.complaintPartition(mine.id) },
      }),
    );
    expect(JSON.stringify(partition.Items)).not.toContain(email);
    expect(JSON.stringify(partition.Items)).not.toContain('赵琳');
    // The queue rows show no subject: the departments' assignments, and the register row (the
    // GM's queue row), written again from the anonymised complaint with no name or company.
    const assignments = (partition.Items ?? []).filter((item) =>
      String(item.sk).startsWith('ASSIGNMENT#'),
    );
    expect(assignments.length).toBeGreaterThan(0);
    for (const assignment of assignments) expect(assignment.subject).toBe('[erased]');
    const receivedAt = String(erased?.receivedAt ?? erased?.createdAt);
    const { Item: row } = await documentClient().send(
      new GetCommand({
        TableName: localTableName,
        Key: keys.registerRow(chinaMonth(receivedAt), receivedAt, mine.id),
        ConsistentRead: true,
      }),
    );
    expect(row).toMatchObject({
      customerName: '[erased]',
      subject: '[erased]',
      category: 'quality',
      departmentStatusKey: 'DEPT#gm#routed',
    });
    expect(row).not.toHaveProperty('company');
    expect(JSON.stringify(row)).not.toContain('赵琳');
    // Registry entry and survey invitation under the address are gone; the ratings stay.
    expect(await getCustomer(email)).toBeUndefined();
    expect(await getInvitation(year, email)).toBeUndefined();
    const answers = (await invitationsOf(year)).filter((invitation) => invitation.answer);
    expect(answers).toHaveLength(1);
    expect(answers[0]?.answer).toEqual({ ratings, recommend: 6 });
    expect(answers[0]?.email).toMatch(/^erased-/);
    expect(JSON.stringify(await invitationsOf(year))).not.toContain('赵琳');
    // Someone else's data is untouched.
    expect((await getComplaint(theirs.id))?.customer.email).toBe(bystander);
    expect(await getCustomer(bystander)).toBeDefined();
    expect(await getInvitation(year, bystander)).toBeDefined();
  });
});
