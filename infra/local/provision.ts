/**
 * Creates on the stand-ins what the CDK stack creates on AWS: the table with its indexes,
 * every queue of the wiring description with its dead-letter queue and redrive, and the
 * default configuration. Everything is created only if missing, so restarts keep data.
 */

import {
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  type AttributeValue,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type Projection,
  PutItemCommand,
  ResourceNotFoundException,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { seedDepartment, seedOutlet, seedRoutingPolicy } from '#functions/data/configuration.ts';
import { type IndexSpec, tableIndexes, tableKeys } from '#functions/data/table.ts';
import { departmentsAt } from '#functions/domain/departments.ts';
import type { Outlet } from '#functions/domain/outlets.ts';
import { defaultRoutingPolicy } from '#functions/domain/routing.ts';
import { passwordPolicy } from '#functions/domain/staff-password.ts';
import {
  type Deployment,
  type QueueName,
  queueNames,
  queues,
  visibilityTimeoutSeconds,
} from '#functions/wiring.ts';
import { staffPool } from '#infra/staff-identity.ts';

/** The index's projection as CreateTable takes it (the CDK stack reads the same spec). */
export function projectionOf(index: IndexSpec): Projection {
  if (index.projection === 'all') return { ProjectionType: 'ALL' };
  if (index.projection === 'keys') return { ProjectionType: 'KEYS_ONLY' };
  return { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] };
}

const sameProjection = (a: Projection | undefined, b: Projection) =>
  a?.ProjectionType === b.ProjectionType &&
  JSON.stringify([...(a?.NonKeyAttributes ?? [])].sort()) ===
    JSON.stringify([...(b.NonKeyAttributes ?? [])].sort());

/**
 * Creates the table if missing. dynalite cannot add or change an index of an existing
 * table, so a local table from an older version is rebuilt with the current indexes (and
 * their projections) and its items.
 */
export async function ensureTable(
  dynamodb: DynamoDBClient,
  tableName: string,
  report: (message: string) => void = () => undefined,
): Promise<void> {
  let existingIndexes: string[];
  try {
    const described = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    // An index whose projection changed counts as missing: the rebuild gives it the new one.
    existingIndexes = (described.Table?.GlobalSecondaryIndexes ?? [])
      .filter((index) => {
        const spec = Object.entries(tableIndexes).find(([name]) => name === index.IndexName)?.[1];
        return spec === undefined || sameProjection(index.Projection, projectionOf(spec));
      })
      .map((index) => index.IndexName ?? '');
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await createTable(dynamodb, tableName);
    return;
  }
  const missing = Object.keys(tableIndexes).filter((name) => !existingIndexes.includes(name));
  if (missing.length === 0) return;
  const items = await allItems(dynamodb, tableName);
  report(
    `local table lacks index ${missing.join(', ')}: rebuilding it with its ${items.length} items`,
  );
  await dynamodb.send(new DeleteTableCommand({ TableName: tableName }));
  await createTable(dynamodb, tableName);
  for (const item of items)
    await dynamodb.send(new PutItemCommand({ TableName: tableName, Item: item }));
}

async function allItems(dynamodb: DynamoDBClient, tableName: string) {
  const items: Record<string, AttributeValue>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

async function createTable(dynamodb: DynamoDBClient, tableName: string): Promise<void> {
  const attributes = new Set<string>([tableKeys.partitionKey, tableKeys.sortKey]);
  for (const index of Object.values(tableIndexes)) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributes].map((name) => ({
        AttributeName: name,
        AttributeType: 'S',
      })),
      KeySchema: [
        { AttributeName: tableKeys.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableKeys.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: Object.entries(tableIndexes).map(([name, index]) => ({
        IndexName: name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: projectionOf(index),
      })),
    }),
  );
}

export interface QueueOptions {
  prefix: string;
  /** Overrides the wiring's visibility timeout: tests use a short one to see redelivery quickly. */
  visibilityTimeoutSeconds?: number;
}

export async function ensureQueues(
  sqs: SQSClient,
  options: QueueOptions,
): Promise<Record<QueueName, string>> {
  const urls = {} as Record<QueueName, string>;
  for (const queue of queueNames) {
    const deadLetter = await sqs.send(
      new CreateQueueCommand({
        QueueName: `${options.prefix}-${queue}-dlq`,
        Attributes: { MessageRetentionPeriod: String(14 * 24 * 3600) },
      }),
    );
    const deadLetterArn = await queueArn(sqs, deadLetter.QueueUrl as string);
    const created = await sqs.send(
      new CreateQueueCommand({ QueueName: `${options.prefix}-${queue}` }),
    );
    const url = created.QueueUrl as string;
    // Set, not create-with: attributes then follow the wiring even for a queue from an earlier run.
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: {
          VisibilityTimeout: String(
            options.visibilityTimeoutSeconds ?? visibilityTimeoutSeconds(queue),
          ),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: deadLetterArn,
            maxReceiveCount: queues[queue].maxReceiveCount,
          }),
        },
      }),
    );
    urls[queue] = url;
  }
  return urls;
}

/**
 * What the stack's SES event destination feeds, on fauxqs: the mail-event topic and, for
 * each queue the wiring says SES's events fill, a raw-delivery subscription. Answers the
 * topic's ARN, where the SES stand-in publishes.
 */
export async function ensureMailEventTopic(
  sns: SNSClient,
  sqs: SQSClient,
  prefix: string,
  queueUrls: Record<QueueName, string>,
): Promise<string> {
  const created = await sns.send(new CreateTopicCommand({ Name: `${prefix}-mail-events` }));
  const topicArn = created.TopicArn;
  if (!topicArn) throw new Error('The mail-event topic has no ARN');
  for (const queue of queueNames) {
    if (queues[queue].source !== 'sesEvents') continue;
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: await queueArn(sqs, queueUrls[queue]),
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
  }
  return topicArn;
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const result = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = result.Attributes?.QueueArn;
  if (!arn) throw new Error(`Queue ${url} has no ARN`);
  return arn;
}

/**
 * A few outlets of the service network, enough to see routing reach them locally: regional
 * outlets for Chinese provinces, agents for export countries.
 */
export const localOutlets: Outlet[] = [
  {
    id: 'south-china',
    name: { zh: '华南服务网点（广州）', en: 'South China service outlet (Guangzhou)' },
    email: 'outlet-south-china@example.com',
    regions: ['CN-GD', 'CN-GX', 'CN-HI'],
    language: 'zh',
  },
  {
    id: 'east-china',
    name: { zh: '华东服务网点（上海）', en: 'East China service outlet (Shanghai)' },
    email: 'outlet-east-china@example.com',
    regions: ['CN-SH', 'CN-JS', 'CN-ZJ', 'CN-AH'],
    language: 'zh',
  },
  {
    id: 'north-china',
    name: { zh: '华北服务网点（北京）', en: 'North China service outlet (Beijing)' },
    email: 'outlet-north-china@example.com',
    regions: ['CN-BJ', 'CN-TJ', 'CN-HE', 'CN-SD'],
    language: 'zh',
  },
  {
    id: 'europe-agent',
    name: { zh: '欧洲代理（鹿特丹）', en: 'European agent (Rotterdam)' },
    email: 'agent-europe@example.com',
    regions: ['DE', 'FR', 'NL', 'BE', 'LU', 'AT', 'IT', 'ES', 'PL'],
    language: 'en',
    timeZone: 'Europe/Amsterdam',
  },
  {
    id: 'southeast-asia-agent',
    name: { zh: '东南亚代理（新加坡）', en: 'South-East Asia agent (Singapore)' },
    email: 'agent-sea@example.com',
    regions: ['SG', 'MY', 'TH', 'VN', 'ID', 'PH'],
    language: 'en',
    timeZone: 'Asia/Singapore',
  },
];

/**
 * Local departments get `code@example.com` addresses, outlets their own; the mailbox page
 * shows what they receive. The routing policy starts as the default. Nothing an operator
 * has changed is overwritten.
 */
export async function seedConfiguration(): Promise<void> {
  for (const department of departmentsAt('example.com')) await seedDepartment(department);
  for (const outlet of localOutlets) await seedOutlet(outlet);
  await seedRoutingPolicy(defaultRoutingPolicy);
}

/** The staff user pool, its console client and one group per department, created if missing. */
export async function ensureStaffPool(
  cognito: CognitoIdentityProviderClient,
  endpoint: string,
): Promise<Deployment['staffIdentity']> {
  const pools = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  let userPoolId = pools.UserPools?.find((pool) => pool.Name === staffPool.name)?.Id;
  if (!userPoolId) {
    const created = await cognito.send(
      new CreateUserPoolCommand({
        PoolName: staffPool.name,
        UsernameAttributes: ['email'],
        Policies: {
          PasswordPolicy: {
            MinimumLength: passwordPolicy.minLength,
            RequireLowercase: passwordPolicy.requireLowercase,
            RequireUppercase: passwordPolicy.requireUppercase,
            RequireNumbers: passwordPolicy.requireDigits,
            RequireSymbols: passwordPolicy.requireSymbols,
          },
        },
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      }),
    );
    userPoolId = created.UserPool?.Id;
  }
  if (!userPoolId) throw new Error('The local user pool could not be created');
  // As the stack's pool (staff.mfa "optional"): TOTP asked of whoever set it up. Set on every
  // start, so pools created before it get it too.
  await cognito.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: userPoolId,
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }),
  );
  const clients = await cognito.send(
    new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60 }),
  );
  let clientId = clients.UserPoolClients?.find(
    (client) => client.ClientName === staffPool.clientName,
  )?.ClientId;
  if (!clientId) {
    const created = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: staffPool.clientName,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        IdTokenValidity: staffPool.idTokenValidityMinutes,
        AccessTokenValidity: staffPool.idTokenValidityMinutes,
        RefreshTokenValidity: staffPool.refreshTokenValidityHours,
        TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'hours' },
        PreventUserExistenceErrors: 'ENABLED',
      }),
    );
    clientId = created.UserPoolClient?.ClientId;
  }
  if (!clientId) throw new Error('The local user pool client could not be created');
  const groups = await cognito.send(new ListGroupsCommand({ UserPoolId: userPoolId }));
  const existing = new Set((groups.Groups ?? []).map((group) => group.GroupName));
  for (const group of staffPool.groups) {
    if (existing.has(group.name)) continue;
    await cognito.send(
      new CreateGroupCommand({
        UserPoolId: userPoolId,
        GroupName: group.name,
        Description: group.description,
      }),
    );
  }
  return { userPoolId, clientId, issuer: `${endpoint}/${userPoolId}` };
}

/** The attachments bucket, as the stateful stack would create it (fauxqs: no policies). */
export async function ensureBucket(s3: S3Client, name: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: name }));
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
  }
}
