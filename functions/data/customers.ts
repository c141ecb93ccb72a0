/**
 * The customer registry: one entry per email address, fed by every complaint and by the
 * operator's CSV imports. Entries the survey may write to (`surveyEligible`) sit in a sparse
 * index the campaign pages through: imported ones, and complainants once staff accepted
 * their complaint; an opt-out, a hard bounce or a spam complaint takes an entry out.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ComplaintDraft, Language, Market } from '#functions/domain/complaint.ts';
import { isOfflineChannel, type SurveyChannel } from '#functions/domain/survey-channels.ts';
import type { SurveyEligibilityFacts } from '#functions/domain/survey-eligibility.ts';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { putIfAbsent, tableName, writeIf } from './db.ts';
import { acknowledgedOn, customerItem } from './items.ts';
import { indexKeys, keys } from './keys.ts';
import { tableIndexes } from './table.ts';

export interface CustomerProfile {
  email: string;
  name?: string;
  company?: string;
  market: Market;
  region: string;
  language: Language;
  /** How the yearly survey reaches them; absent means email (entries from before channels). */
  surveyChannel?: SurveyChannel;
  phone?: string;
  fax?: string;
  postalAddress?: string;
}

export interface Customer extends CustomerProfile, SurveyEligibilityFacts {
  deliverable: boolean;
  undeliverableReason?: string;
  /** When SES reported the hard bounce or spam complaint. */
  undeliverableAt?: string;
  source: CustomerSource;
  createdAt: string;
  updatedAt: string;
}

export type CustomerSource = 'complaint' | 'import';

/** What a complaint tells the registry of its customer; nothing without an address (its key). */
export function complainantProfile(
  complaint: Pick<ComplaintDraft, 'customer' | 'language'>,
): CustomerProfile | undefined {
  const { name, company, email, market, region } = complaint.customer;
  return email ? { email, name, company, market, region, language: complaint.language } : undefined;
}

/**
 * `#f0 = :f0, …` for each field with a value: only what we know, so an absent company never
 * becomes `SET company = <nothing>`.
 */
function knownFields(fields: Record<string, unknown>) {
  const known = Object.entries(fields).filter(([, value]) => value !== undefined);
  return {
    set: known.map((_, index) => `#f${index} = :f${index}`),
    names: Object.fromEntries(known.map(([name], index) => [`#f${index}`, name])),
    values: Object.fromEntries(known.map(([, value], index) => [`:f${index}`, value])),
  };
}

/**
 * Adds the customer, or updates what we know of them (nothing is written when a complaint
 * tells us nothing new); whether their address works is kept.
 * An import makes the entry one the survey may write to; a complaint alone does not (see
 * `enrolAcceptedComplainant`).
 */
export async function upsertCustomer(
  profile: CustomerProfile,
  source: CustomerSource,
  now: string,
): Promise<'created' | 'updated'> {
  const key = keys.customer(profile.email);
  const offline = isOfflineChannel(profile.surveyChannel);
  // A returning complainant's entry usually says it all already: a read (a fifth of a
  // write's price) spares the failed put and the rewrite, and its index copy.
  const stored =
    source === 'complaint'
      ? (
          await documentClient().send(
            new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }),
          )
        ).Item
      : undefined;
  if (
    stored &&
    Object.entries(profile).every(([name, value]) => value === undefined || stored[name] === value)
  ) {
    return 'updated';
  }
  const created =
    !stored &&
    (await putIfAbsent(
      customerItem.toItem(
        {
          ...key,
          ...(offline
            ? indexKeys.offlineSurveyCustomer(profile.email)
            : source === 'import'
              ? indexKeys.deliverableCustomer(profile.email)
              : {}),
        },
        {
          ...profile,
          deliverable: true,
          source,
          ...(source === 'import' ? { importedAt: now } : {}),
          createdAt: now,
          updatedAt: now,
        },
      ),
    ));
  if (created) return 'created';
  const known = knownFields({
    ...profile,
    updatedAt: now,
    ...(source === 'import' ? { importedAt: now } : {}),
  });
  await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: `SET ${known.set.join(', ')}`,
      ExpressionAttributeNames: known.names,
      ExpressionAttributeValues: known.values,
    }),
  );
  if (offline) await listOffline(profile.email);
  else if (source === 'import') await enrolForSurvey(profile.email, now);
  return 'updated';
}

/** Sorts before every day, for the window's empty slots. */
const beforeEveryDay = '0000-00-00';

/**
 * A complaint from this address: takes one of the day's acknowledgements and, in the same
 * write, brings the registry entry up to the complaint (creating it), so routing's upsert
 * finds nothing new to write. The entry keeps the (China-time) days of its last `limit`
 * acknowledgements, oldest first, and another is allowed while the oldest is before today:
 * a sliding window of fixed size on the entry, instead of a counter item a day. False, and
 * nothing written, once the day's are used up (routing then registers the customer).
 */
export async function acknowledgeComplainant(
  profile: CustomerProfile,
  day: string,
  limit: number,
  now: string,
): Promise<boolean> {
  const known = knownFields({ ...profile });
  const window = Array.from({ length: limit }, (_, index) => index + 1);
  const shift = window.map((slot) =>
    slot === limit ? `#w${slot} = :day` : `#w${slot} = if_not_exists(#w${slot + 1}, :never)`,
  );
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.customer(profile.email),
      UpdateExpression: `SET ${[
        ...known.set,
        ...shift,
        'updatedAt = :now',
        'createdAt = if_not_exists(createdAt, :now)',
        '#source = if_not_exists(#source, :complaint)',
        'deliverable = if_not_exists(deliverable, :true)',
      ].join(', ')}`,
      ConditionExpression: 'attribute_not_exists(#w1) OR #w1 < :day',
      ExpressionAttributeNames: {
        ...known.names,
        ...Object.fromEntries(window.map((slot) => [`#w${slot}`, acknowledgedOn(slot)])),
        '#source': 'source',
      },
      ExpressionAttributeValues: {
        ...known.values,
        ':day': day,
        ':never': beforeEveryDay,
        ':now': now,
        ':complaint': 'complaint' satisfies CustomerSource,
        ':true': true,
      },
    }),
  );
}

/**
 * Phone, fax and post customers are listed under `CUSTOMERS#offline` of the same sparse
 * index (never mailed); an import that changes the channel back to email re-enrols the entry
 * under `CUSTOMERS#deliverable` through `enrolForSurvey`, with its consent checks.
 */
async function listOffline(email: string): Promise<void> {
  const place = indexKeys.offlineSurveyCustomer(email);
  await writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.customer(email),
      UpdateExpression: 'SET registryKey = :key, registrySort = :sort',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(optedOutAt)',
      ExpressionAttributeValues: { ':key': place.registryKey, ':sort': place.registrySort },
    }),
  );
}

/** Staff accepted a complaint from this address: a real exchange, so the survey may ask. */
export async function enrolAcceptedComplainant(email: string, now: string): Promise<void> {
  const recorded = await writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.customer(email),
      UpdateExpression: 'SET complaintAcceptedAt = if_not_exists(complaintAcceptedAt, :now)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':now': now },
    }),
  );
  if (recorded) await enrolForSurvey(email, now);
}

/** Puts the entry into the survey's index, unless its address is suppressed or opted out. */
async function enrolForSurvey(email: string, now: string): Promise<void> {
  const index = indexKeys.deliverableCustomer(email);
  await writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.customer(email),
      UpdateExpression: 'SET registryKey = :key, registrySort = :sort, updatedAt = :now',
      ConditionExpression:
        'attribute_exists(pk) AND deliverable = :true AND attribute_not_exists(optedOutAt)',
      ExpressionAttributeValues: {
        ':key': index.registryKey,
        ':sort': index.registrySort,
        ':now': now,
        ':true': true,
      },
    }),
  );
}

/**
 * The address asked for no more survey mail: it leaves the survey's index at once and for
 * good (no import or accepted complaint puts it back). Mail about its own complaints goes on.
 * False when no entry has this address.
 */
export async function optOutOfSurvey(email: string, now: string): Promise<boolean> {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.customer(email),
      UpdateExpression:
        'SET optedOutAt = if_not_exists(optedOutAt, :now), updatedAt = :now REMOVE registryKey, registrySort',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':now': now },
    }),
  );
}

export async function getCustomer(email: string): Promise<Customer | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: keys.customer(email), ConsistentRead: true }),
  );
  return result.Item ? customerItem.fromItem(result.Item) : undefined;
}

/** SES refused the address for good: the survey stops writing to it. */
export async function markUndeliverable(email: string, reason: string, now: string): Promise<void> {
  await writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.customer(email),
      UpdateExpression:
        'SET deliverable = :false, undeliverableReason = :reason, undeliverableAt = :now, updatedAt = :now REMOVE registryKey, registrySort',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':false': false, ':reason': reason, ':now': now },
    }),
  );
}

export interface CustomerPage {
  customers: Customer[];
  /** Pass back to get the next page; undefined after the last. */
  next?: Record<string, unknown>;
}

/** One page of the customers the survey may write to, by email: a Query on the sparse index, never a Scan. */
export function deliverableCustomers(
  limit: number,
  startAfter?: Record<string, unknown>,
): Promise<CustomerPage> {
  return customersListed(indexKeys.deliverableCustomer('').registryKey, limit, startAfter);
}

/** One page of the customers surveyed by phone, fax or post (the same sparse index). */
export function offlineSurveyCustomers(
  limit: number,
  startAfter?: Record<string, unknown>,
): Promise<CustomerPage> {
  return customersListed(indexKeys.offlineSurveyCustomer('').registryKey, limit, startAfter);
}

async function customersListed(
  list: string,
  limit: number,
  startAfter?: Record<string, unknown>,
): Promise<CustomerPage> {
  const index = tableIndexes.deliverableCustomers;
  const result = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'deliverableCustomers',
      KeyConditionExpression: '#key = :key',
      ExpressionAttributeNames: { '#key': index.partitionKey },
      ExpressionAttributeValues: { ':key': list },
      Limit: limit,
      ExclusiveStartKey: startAfter,
    }),
  );
  return {
    customers: (result.Items ?? []).map(customerItem.fromItem),
    next: result.LastEvaluatedKey,
  };
}
