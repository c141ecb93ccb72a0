/**
 * Exactly-once markers for email: one item per mail that must go out once, wherever its
 * owner keeps it (a complaint's partition, a survey's). A sender claims the marker with a
 * conditional write before it calls SES and marks it sent after; a redelivered message finds
 * it sent and sends nothing. SES's own events (tagged with the marker) mark it sent too, so
 * a sender that died after SES accepted its mail leaves a sent marker, not a stale claim. A
 * claim goes stale at `staleAt` (its sender's timeout plus the event's grace, from the
 * wiring) and only then, with no event having come, is it taken over; a failure that SES
 * answered releases it at once.
 *
 *   (none) ──claim──▶ claimed ──▶ sent  (by the sender, or by SES's send event)
 *                       │  ▲  └──▶ rejected (SES refused for good)
 *            release ◀──┘  └── claim again (released, or claimed and stale with no event)
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#functions/shared/aws/dynamodb.ts';
import { addSeconds } from '#functions/shared/clock.ts';
import { isConditionFailure, queryAllPages, tableName, writeIf } from './db.ts';
import { mailMarkerItem } from './items.ts';
import { type ItemKey, keys } from './keys.ts';
import { customerMailOf, type DeliveryOutcome } from './mail-outcomes.ts';

export type MarkerState = 'claimed' | 'released' | 'sent' | 'rejected';

export interface MailMarker {
  /** What the mail is, without personal data: `routed:department:gm`, `survey-invitation`. */
  label: string;
  state: MarkerState;
  to: string;
  claimToken?: string;
  claimedAt: string;
  /** When the claim may be taken over if no event has marked the mail sent by then. */
  staleAt?: string;
  /** Claims taken so far: one per send attempt. */
  attempts: number;
  sentAt?: string;
  sesMessageId?: string;
  failedAt?: string;
  failure?: string;
  /** Name of the last transient error, for whoever looks at a stuck mail. */
  lastError?: string;
  /** SES's latest event about the mail (`Send`, `Delivery`, `Bounce`…) and when it came. */
  lastEvent?: string;
  lastEventAt?: string;
  /** `ses-event:Send` when SES's event, not the sender, marked the mail sent. */
  markedSentBy?: string;
  /** The claim token of the send SES accepted, from the mail's tags. */
  acceptedClaim?: string;
  /** Digests of the status links the attempts' mails carried (the tokens are never stored). */
  statusAccessDigests?: string[];
}

export type ClaimResult =
  | { outcome: 'claimed'; attempts: number }
  | { outcome: 'sent' }
  | { outcome: 'rejected'; failedAt: string; failure: string }
  /** Someone else holds a live claim (taken at `claimedAt`, as `claimToken`): try again later. */
  | { outcome: 'busy'; claimedAt?: string; claimToken?: string };

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
  /**
   * The digest of the status link's access token the mail carries: kept on the marker, with
   * those of earlier attempts (each sends its own link), so the link costs no write of its own.
   */
  statusAccessDigest?: string;
}

/** Claims from before `staleAt` was kept went stale after a flat lease of this long. */
const legacyLeaseSeconds = 960;

export async function claimMail(request: ClaimRequest): Promise<ClaimResult> {
  const extra = Object.entries(request.attributes ?? {});
  const clock = request.now;
  try {
    const result = await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: request.marker,
        UpdateExpression: [
          'SET #state = :claimed, claimToken = :token, claimedAt = :now, staleAt = :staleAt',
          '#to = :to, label = :label',
          'attempts = if_not_exists(attempts, :zero) + :one',
          ...(request.statusAccessDigest
            ? [
                'statusAccessDigests = list_append(if_not_exists(statusAccessDigests, :none), :digest)',
              ]
            : []),
          ...extra.map((_, index) => `#x${index} = :x${index}`),
        ].join(', '),
        ConditionExpression:
          'attribute_not_exists(pk) OR #state = :released OR (#state = :claimed AND ' +
          '(staleAt < :clock OR (attribute_not_exists(staleAt) AND claimedAt < :legacyStaleBefore)))',
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
          ':staleAt': addSeconds(clock, request.leaseSeconds).toISOString(),
          ':clock': clock.toISOString(),
          ':legacyStaleBefore': addSeconds(clock, -legacyLeaseSeconds).toISOString(),
          ...(request.statusAccessDigest
            ? { ':none': [], ':digest': [request.statusAccessDigest] }
            : {}),
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
      return {
        outcome: 'busy',
        ...(marker?.claimedAt ? { claimedAt: marker.claimedAt } : {}),
        ...(marker?.claimToken ? { claimToken: marker.claimToken } : {}),
      };
  }
}

/**
 * False when the claim was no longer ours (taken over as stale): the email may then go
 * twice. True too when SES's send event for this very message marked it sent first.
 */
export function markSent(marker: ItemKey, token: string, sesMessageId: string, at: Date) {
  return writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: marker,
      UpdateExpression:
        'SET #state = :sent, sentAt = if_not_exists(sentAt, :at), sesMessageId = :id REMOVE claimToken, staleAt',
      ConditionExpression:
        '(#state = :claimed AND claimToken = :token) OR (#state = :sent AND sesMessageId = :id)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':sent': 'sent',
        ':claimed': 'claimed',
        ':token': token,
        ':at': at.toISOString(),
        ':id': sesMessageId,
      },
    }),
  );
}

/** What SES said about one mail, from its event. */
export interface MailEvent {
  /** SES's event type: `Send`, `Delivery`, `Bounce`, `Complaint`, `Reject`, `DeliveryDelay`… */
  type: string;
  at: string;
  sesMessageId: string;
  /** The claim whose send SES accepted, from the mail's tags. */
  claimToken?: string;
  /** Bounce type and subtype, complaint feedback type…: short codes, no addresses. */
  detail?: string;
}

/** Events that mean SES accepted the mail: a claim that sent it is done, whatever its sender did next. */
const acceptedEvents = new Set(['Send', 'Delivery', 'DeliveryDelay', 'Bounce', 'Complaint']);

/**
 * Records SES's event on the mail's marker: its time per event type, the latest event, the
 * delivery outcome it settles (`outcome`: a later delivery never hides a bounce or a
 * complaint), and, for an event that proves SES accepted the mail, the sent state (unless it
 * was already sent or refused). The marker is read first (a read unit is a fifth of a write
 * unit's price) so that each event costs at most one write, and none when it says nothing the
 * marker does not: a `Send` event for the very message its sender already marked sent.
 * Idempotent: a repeated event changes nothing. False when there is no such marker.
 */
export async function recordMailEvent(
  marker: ItemKey,
  event: MailEvent,
  outcome?: DeliveryOutcome,
  /** Set on the second look, after the marker was found settled: no third. */
  settledAlready = false,
): Promise<boolean> {
  const current = await getMailMarker(marker);
  if (!current) return false;
  const attribute = `event${event.type.replace(/[^A-Za-z]/g, '')}At`;
  const eventUpdate = [
    'SET #at = if_not_exists(#at, :at)',
    'lastEvent = :type',
    'lastEventAt = :at',
    ...(event.detail ? ['#detail = :detail'] : []),
    // A delivery settles the outcome only if nothing has; a bounce or a complaint always does.
    ...(outcome === 'delivered'
      ? [
          'deliveryOutcome = if_not_exists(deliveryOutcome, :outcome)',
          'deliveryOutcomeAt = if_not_exists(deliveryOutcomeAt, :at)',
        ]
      : outcome
        ? ['deliveryOutcome = :outcome', 'deliveryOutcomeAt = :at']
        : []),
  ].join(', ');
  const eventNames = {
    '#at': attribute,
    ...(event.detail ? { '#detail': `event${event.type.replace(/[^A-Za-z]/g, '')}Detail` } : {}),
  };
  const eventValues = {
    ':at': event.at,
    ':type': event.type,
    ...(event.detail ? { ':detail': event.detail } : {}),
    ...(outcome ? { ':outcome': outcome } : {}),
  };
  const recordOnly = (condition: string, values: Record<string, unknown> = {}) =>
    writeIf(
      new UpdateCommand({
        TableName: tableName(),
        Key: marker,
        UpdateExpression: eventUpdate,
        ConditionExpression: condition,
        ExpressionAttributeNames: {
          ...eventNames,
          ...(Object.keys(values).length > 0 ? { '#state': 'state' } : {}),
        },
        ExpressionAttributeValues: { ...eventValues, ...values },
      }),
    );
  if (!acceptedEvents.has(event.type)) return recordOnly('attribute_exists(pk)');
  const settled = () =>
    recordOnly('attribute_exists(pk) AND #state <> :claimed AND #state <> :released', {
      ':claimed': 'claimed',
      ':released': 'released',
    });
  if (current.state === 'sent' || current.state === 'rejected') {
    // The usual case: the sender marked the mail sent when SES answered. SES's `Send` event
    // for that same message adds nothing to it (the marker names the message SES accepted),
    // nor does the `Delivery` of mail to staff or of the survey: no one looks for it there,
    // and on AWS it would be a write per mail. The customer's mail about a complaint keeps
    // its delivery: the evidence that they were reached.
    if (
      current.state === 'sent' &&
      current.sesMessageId === event.sesMessageId &&
      (event.type === 'Send' || (event.type === 'Delivery' && !customerMailOf(marker)))
    ) {
      return true;
    }
    return settled();
  }
  // Still claimed (its sender died, or has not marked it yet): the event itself proves SES
  // accepted the mail, so it records the sent state with the event.
  const markedSent = await writeIf(
    new UpdateCommand({
      TableName: tableName(),
      Key: marker,
      UpdateExpression:
        `${eventUpdate}, #state = :sent, sentAt = if_not_exists(sentAt, :at), sesMessageId = :id, ` +
        'acceptedClaim = :token, markedSentBy = :by REMOVE claimToken, staleAt',
      ConditionExpression: '#state = :claimed OR #state = :released',
      ExpressionAttributeNames: { ...eventNames, '#state': 'state' },
      ExpressionAttributeValues: {
        ...eventValues,
        ':sent': 'sent',
        ':claimed': 'claimed',
        ':released': 'released',
        ':id': event.sesMessageId,
        ':token': event.claimToken ?? 'unknown',
        ':by': `ses-event:${event.type}`,
      },
    }),
  );
  // Its sender settled it in between (a marker once sent or refused stays so): looked at
  // again, the event is recorded as on a settled marker, or not at all.
  if (markedSent) return true;
  return settledAlready ? settled() : recordMailEvent(marker, event, outcome, true);
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
      UpdateExpression: `${update} REMOVE claimToken, staleAt`,
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
  return mailMarkerItem.fromItem(result.Item);
}

/**
 * The mail markers in a complaint's partition, with their key after the prefix
 * (`routed:department:gm`) and the one attribute asked for, if any: one consistent Query.
 */
export async function complaintMailMarkers(
  complaintId: string,
  attribute?: string,
): Promise<{ key: string; value: unknown }[]> {
  const prefix = keys.notification(complaintId, '');
  const items = await queryAllPages({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': prefix.pk, ':prefix': prefix.sk },
    ...(attribute
      ? {
          ProjectionExpression: 'sk, #attribute',
          ExpressionAttributeNames: { '#attribute': attribute },
        }
      : { ProjectionExpression: 'sk' }),
    ConsistentRead: true,
  });
  return items.map((item) => ({
    key: String(item.sk).slice(prefix.sk.length),
    value: attribute ? item[attribute] : undefined,
  }));
}
