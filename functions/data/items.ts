/**
 * One schema per item family, and the one pair of functions that turns a domain value into
 * a table item (`toItem`: its key, index attributes, then the value) and back (`fromItem`:
 * parsed, key and index attributes dropped). Data access, the local seeding and the CDK
 * seeding all go through these, so a malformed item is a clear error naming the item and
 * the field, not a wrong type found later. A family's schema checks the fields it names and
 * keeps any others (`looseObject`): a field a newer feature adds is never lost on a read or a
 * write that passes through an older schema.
 */
import * as z from 'zod/mini';
import { escalationLevels, type Proposal } from '#functions/domain/case-lifecycle.ts';
import {
  acknowledgementsPerAddressPerDay,
  type Claim,
  type Complaint,
  type Customer as ComplaintCustomer,
  categories,
  channels,
  claimTypes,
  languages,
  markets,
  type OrderTrace,
  statuses,
} from '#functions/domain/complaint.ts';
import { type Department, departmentCodes } from '#functions/domain/departments.ts';
import {
  type Assessment,
  type RoutingDecision,
  remedyTypes,
  roles,
  severities,
} from '#functions/domain/routing.ts';
import {
  ratingDimensions,
  ratings,
  recommendScores,
  type SurveyAnswer,
} from '#functions/domain/survey.ts';
import type { TallyHeadline } from '#functions/domain/survey-statistics.ts';
import type { Customer } from './customers.ts';
import { fingerprintAttribute } from './idempotency.ts';
import type { ItemKey } from './keys.ts';
import type { MailMarker } from './mail-markers.ts';
import type { SurveyCampaign, SurveyInvitation, SurveyTokenRecord } from './surveys.ts';
import { tableIndexes } from './table.ts';

/** A stored item that does not have its family's shape. */
export class MalformedItem extends Error {
  override name = 'MalformedItem';
  constructor(family: string, item: Record<string, unknown>, error: z.core.$ZodError) {
    // Keys and field paths only: an item's values may be personal data.
    const key = [item.pk, item.sk].filter((part) => typeof part === 'string').join(' ');
    super(`Malformed ${family} item ${key}: ${z.prettifyError(error)}`);
  }
}

export interface ItemFamily<T> {
  /** The schema every item of the family is parsed with. */
  schema: z.ZodMiniType<T>;
  /** The item to write: its key (and index attributes), then the value, validated first. */
  toItem(key: ItemKey | Record<string, unknown>, value: T): Record<string, unknown>;
  /** The value of a stored item, parsed; key and index attributes are dropped. */
  fromItem(item: Record<string, unknown>): T;
}

/** A family from its schema (a `z.object`: attributes it does not name are dropped on reading). */
export function itemFamily<T>(family: string, schema: z.ZodMiniType<T>): ItemFamily<T> {
  const parse = (item: Record<string, unknown>): T => {
    const result = z.safeParse(schema, withoutKeyAttributes(item));
    if (!result.success) throw new MalformedItem(family, item, result.error);
    return result.data;
  };
  return {
    schema,
    toItem: (key, value) => ({ ...key, ...parse({ ...key, ...value }) }),
    fromItem: parse,
  };
}

/**
 * The days of a registry entry's last acknowledgements, oldest first (`acknowledgedOn1` …),
 * kept by `acknowledgeComplainant` in customers.ts: bookkeeping, not what we know of the customer.
 */
export const acknowledgedOn = (slot: number) => `acknowledgedOn${slot}`;

/**
 * The table's key and index attributes (and the intake's request fingerprint, and the
 * acknowledgement window): never part of a value.
 */
const keyAttributes = new Set([
  'pk',
  'sk',
  ...Object.values(tableIndexes).flatMap((index) => [index.partitionKey, index.sortKey]),
  fingerprintAttribute,
  ...Array.from({ length: acknowledgementsPerAddressPerDay }, (_, index) =>
    acknowledgedOn(index + 1),
  ),
]);

function withoutKeyAttributes(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !keyAttributes.has(name)));
}

const text = z.string();
const time = z.string();

// Each family's schema is built on its first item (z.lazy), not at import: a function
// reads a few of these families, and building all of them was a tenth of a cold start.

export const departmentItem = itemFamily<Department>(
  'department',
  z.lazy(() =>
    z.looseObject({
      code: z.enum(departmentCodes),
      name: z.object({ zh: text, en: text }),
      email: text,
    }),
  ),
);

const complaintCustomer = (): z.ZodMiniType<ComplaintCustomer> =>
  z.object({
    name: text,
    company: z.optional(text),
    email: z.optional(text),
    phone: z.optional(text),
    market: z.enum(markets),
    region: text,
  });

const orderTrace = (): z.ZodMiniType<OrderTrace> =>
  z.object({
    contractNo: z.optional(text),
    orderNo: z.optional(text),
    deliveryNoteNo: z.optional(text),
    batchNo: z.optional(text),
    productModel: z.optional(text),
  });

const claim = (): z.ZodMiniType<Claim> =>
  z.object({
    type: z.enum(claimTypes),
    amount: z.optional(z.number()),
    currency: z.optional(text),
  });

const routingDecision = (): z.ZodMiniType<RoutingDecision> =>
  z.object({
    routedAt: time,
    assignments: z.array(z.object({ department: z.enum(departmentCodes), role: z.enum(roles) })),
    outlet: z.optional(z.object({ id: text, role: z.literal('local_service') })),
  });

const assessment = (): z.ZodMiniType<Assessment> =>
  z.object({
    severity: z.enum(severities),
    reasons: z.array(
      z.enum([
        'safety_concern',
        'compensation_claim',
        'return_or_exchange',
        'product_quality',
        'low_severity_category',
      ]),
    ),
    firstResponseDueAt: time,
    resolutionDueAt: time,
  });

const proposal = (): z.ZodMiniType<Proposal> =>
  z.object({
    remedy: z.object({
      type: z.enum(remedyTypes),
      amount: z.optional(z.number()),
      currency: z.optional(text),
    }),
    response: z.object({ text }),
    approval: z.enum(['not_needed', 'pending', 'approved', 'rejected']),
    proposedAt: time,
  });

const complaintFields = () => ({
  customer: complaintCustomer(),
  category: z.enum(categories),
  subject: text,
  description: text,
  order: z.optional(orderTrace()),
  claim: z.optional(claim()),
  language: z.enum(languages),
  channel: z.enum(channels),
  receivedAt: z.optional(time),
  id: text,
  reference: text,
  status: z.enum(statuses),
  createdAt: time,
  updatedAt: time,
  enqueuedAt: z.optional(time),
  routing: z.optional(routingDecision()),
  assessment: z.optional(assessment()),
  notificationsQueuedAt: z.optional(time),
  undeliveredNotifications: z.optional(z.array(text)),
  acknowledgementWithheld: z.optional(z.boolean()),
  version: z.optional(z.number()),
  firstResponseAt: z.optional(time),
  proposal: z.optional(proposal()),
  respondedAt: z.optional(time),
  closedAt: z.optional(time),
  notifiedVersion: z.optional(z.number()),
  escalations: z.optional(z.array(z.enum(escalationLevels))),
  gmQueueOnRegisterRow: z.optional(z.boolean()),
});

export const complaintItem = itemFamily<Complaint>(
  'complaint',
  z.lazy(() => z.looseObject(complaintFields())),
);

/** The complaint item as stored: its description is in an item of its own (older ones kept it inline). */
export type StoredComplaint = Omit<Complaint, 'description'> & { description?: string };

export const storedComplaintItem = itemFamily<StoredComplaint>(
  'complaint',
  z.lazy(() => z.looseObject({ ...complaintFields(), description: z.optional(text) })),
);

const profile = () => ({
  email: text,
  name: z.optional(text),
  company: z.optional(text),
  market: z.enum(markets),
  region: text,
  language: z.enum(languages),
});

export const customerItem = itemFamily<Customer>(
  'customer',
  z.lazy(() =>
    z.looseObject({
      ...profile(),
      deliverable: z.boolean(),
      undeliverableReason: z.optional(text),
      source: z.enum(['complaint', 'import']),
      createdAt: time,
      updatedAt: time,
    }),
  ),
);

const count = z.number();

const headline = (): z.ZodMiniType<TallyHeadline> => {
  const nullableNumber = z.nullable(z.number());
  return z.object({
    year: z.number(),
    invited: nullableNumber,
    responses: count,
    responseRate: nullableNumber,
    satisfactionIndex: nullableNumber,
    npsScore: nullableNumber,
    means: z.record(z.enum(ratingDimensions), nullableNumber),
  });
};

export const surveyCampaignItem = itemFamily<SurveyCampaign>(
  'survey campaign',
  z.lazy(() =>
    z.looseObject({
      year: z.number(),
      openedAt: time,
      closesAt: time,
      closedAt: z.optional(time),
      fanOutCursor: z.optional(text),
      fanOutComplete: z.boolean(),
      reportSentAt: z.optional(time),
      headline: z.optional(headline()),
      targeted: count,
      queued: count,
      sent: count,
      failed: count,
      responded: count,
    }),
  ),
);

const surveyAnswer = (): z.ZodMiniType<SurveyAnswer> =>
  z.object({
    ratings: z.record(z.enum(ratingDimensions), z.literal(ratings)),
    recommend: z.literal(recommendScores),
    suggestions: z.optional(text),
  });

export const surveyInvitationItem = itemFamily<SurveyInvitation>(
  'survey invitation',
  z.lazy(() =>
    z.looseObject({
      ...profile(),
      year: z.number(),
      createdAt: time,
      sentAt: z.optional(time),
      remindersSent: count,
      lastReminderAt: z.optional(time),
      failedAt: z.optional(time),
      failure: z.optional(text),
      answeredAt: z.optional(time),
      answer: z.optional(surveyAnswer()),
    }),
  ),
);

export const surveyTokenItem = itemFamily<SurveyTokenRecord>(
  'survey token',
  z.lazy(() =>
    z.looseObject({
      digest: text,
      expiresAt: time,
      usedAt: z.optional(time),
      year: z.number(),
      email: text,
      issuedAt: time,
    }),
  ),
);

export const mailMarkerItem = itemFamily<MailMarker>(
  'mail marker',
  z.lazy(() =>
    z.looseObject({
      label: text,
      state: z.enum(['claimed', 'released', 'sent', 'rejected']),
      to: text,
      claimToken: z.optional(text),
      claimedAt: time,
      staleAt: z.optional(time),
      attempts: count,
      sentAt: z.optional(time),
      sesMessageId: z.optional(text),
      failedAt: z.optional(time),
      failure: z.optional(text),
      lastError: z.optional(text),
      lastEvent: z.optional(text),
      lastEventAt: z.optional(time),
      markedSentBy: z.optional(text),
      acceptedClaim: z.optional(text),
      statusAccessDigests: z.optional(z.array(text)),
    }),
  ),
);
