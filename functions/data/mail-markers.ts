/**
 * Exactly-once markers for email: one item per mail that must go out once, wherever its
 * owner keeps it (a complaint's partition, a survey's). A sender claims the marker with a
 * conditional write before it calls SES and marks it sent after; a redelivered message finds
 * it sent and sends nothing. A claim whose sender died goes stale after a lease longer than
 * any function may run and is then taken over; a transient failure releases it at once.
 *
 *   (none) ──claim──▶ claimed ──▶ sent
 *                       │  ▲  └──▶ rejected (SES refused for good)
 *            release ◀──┘  └── claim again (released, or claimed but stale)
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../shared/aws/dynamodb.ts';
import { addSeconds } from '../shared/clock.ts';
import { isConditionFailure, tableName, writeIf } from './db.ts';
import type { ItemKey } from './keys.ts';

export type MarkerState = 'claimed' | 'released' | 'sent' | 'rejected';

export interface MailMarker {
  /** What the mail is, without personal data: `routed:department:gm`, `survey-invitation`. */
  label: string;
  state: MarkerState;
  to: string;
  claimToken?: string;
  claimedAt: string;
  /** Claims taken so far: one per send attempt. */
  attempts: number;
  sentAt?: string;
  sesMessageId?: string;
  failedAt?: string;
  failure?: string;
  /** Name of the last transient error, for whoever looks at a stuck mail. */
  lastError?: string;
}

export type ClaimResult =
  | { outcome: 'claimed'; attempts: number }
  | { outcome: 'sent' }
  | { outcome: 'rejected'; failedAt: string; failure: string }
  /** Someone else holds a live claim: try again later. */
  | { outcome: 'busy' };

export interface ClaimRequest {
  marker: ItemKey;
  label: string;
  to: string;
  token: string;
  now: Date;
  /** A claim older than this is presumed abandoned; must exceed the sender's timeout. */
  leaseSeconds: number;
  /** Extra attributes kept on the marker (e.g. the complaint id). */
  attributes?: Record<string, string>;
}

export async function claimMail(request: ClaimRequest): Promise<ClaimResult> {
  const extra = Object.entries(request.attributes ?? {});
  try {
    const result = await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: request.marker,
        UpdateExpression: [
          'SET #state = :claimed, claimToken = :token, claimedAt = :now, #to = :to, label = :label',
          'attempts = if_not_exists(attempts, :zero) + :one',
          ...extra.map((_, index) => `#x${index} = :x${index}`),
        ].join(', '),
        ConditionExpression:
          'attribute_not_exists(pk) OR #state = :released OR (#state = :claimed AND claimedAt < :staleBefore)',
        ExpressionAttributeNames: {
          '#state': 'state',
          '#to': 'to',
          ...Object.fromEntries(extra.map(([name], index) => [`#x${index}`, name])),
        },
        ExpressionAttributeValues: {
          ':claimed': 'claimed',
          ':released': 'released',
          ':token': request.token,
          ':now': request.now.toISOString(),
          ':to': request.to,
          ':label': request.label,
          ':zero': 0,
          ':one': 1,
          ':staleBefore': addSeconds(request.now, -request.leaseSeconds).toISOString(),
          ...Object.fromEntries(extra.map(([, value], index) => [`:x${index}`, value])),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { outcome: 'claimed', attempts: Number(result.Attributes?.attempts ?? 1) };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const marker = await getMailMarker(request.marker);
  switch (marker?.state) {
    case 'sent':
      return { outcome: 'sent' };
    case 'rejected':
      return {
        outcome: 'rejected',
        failedAt: marker.failedAt ?? marker.claimedAt,
        failure: marker.failure ?? 'unknown',
      };
    default:
      return { outcome: 'busy' };
  }
}

/** False when the claim was no longer ours (taken over as stale): the email may then go twice. */
export function markSent(marker: ItemKey, token: string, sesMessageId: string, at: Date) {
  return finishClaim(marker, token, 'SET #state = :state, sentAt = :at, sesMessageId = :id', {
    ':state': 'sent',
    ':at': at.toISOString(),
    ':id': sesMessageId,
  });
}

export function markRejected(marker: ItemKey, token: string, failure: string, at: Date) {
  return finishClaim(marker, token, 'SET #state = :state, failedAt = :at, failure = :failure', {
    ':state': 'rejected',
    ':at': at.toISOString(),
    ':failure': failure,
  });
}

/** Gives the claim back after a transient failure, so the next delivery may claim it at once. */
export function releaseClaim(marker: ItemKey, token: string, errorName: string) {
  return finishClaim(marker, token, 'SET #state = :state, lastError = :error', {
    ':state': 'released',
    ':error': errorName,
  });
}

async function finishClaim(
  marker: ItemKey,
  token: string,
  update: string,
  values: Record<string, unknown>,
): Promise<boolean> {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: marker,
      UpdateExpression: `${update} REMOVE claimToken`,
      ConditionExpression: '#state = :claimed AND claimToken = :token',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ...values, ':claimed': 'claimed', ':token': token },
    }),
  );
}

export async function getMailMarker(marker: ItemKey): Promise<MailMarker | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: marker, ConsistentRead: true }),
  );
  if (!result.Item) return undefined;
  const { pk: _pk, sk: _sk, ...fields } = result.Item;
  return fields as MailMarker;
}
