/** The complaint as the procedure knows it: what a customer reports and where it stands. */
import type { EscalationLevel, Proposal } from './case-lifecycle.ts';
import type { Assessment, RoutingDecision } from './routing.ts';

export const markets = ['domestic', 'export'] as const;

/** The longest description a complaint may have (the form's limit and the contract's). */
export const maxDescriptionLength = 5000;
export type Market = (typeof markets)[number];

export const languages = ['zh', 'en'] as const;
export type Language = (typeof languages)[number];

export const categories = [
  'quality',
  'wrong_goods',
  'delivery',
  'contract',
  'service',
  'technical_support',
  'onsite_service',
  'suggestion',
  'other',
] as const;
export type Category = (typeof categories)[number];

export const claimTypes = ['none', 'return', 'exchange', 'compensation'] as const;
export type ClaimType = (typeof claimTypes)[number];

/** How the complaint reached us: the web form, or keyed in by staff from a letter, fax, mail or call. */
export const channels = ['web', 'phone', 'letter', 'fax', 'email', 'visit'] as const;
export type Channel = (typeof channels)[number];
/** What staff key in: everything but the web form. */
export const staffChannels = ['phone', 'letter', 'fax', 'email', 'visit'] as const;

export const statuses = [
  'received',
  'routed',
  'in_progress',
  'awaiting_approval',
  'responded',
  'closed',
  'reopened',
] as const;
export type ComplaintStatus = (typeof statuses)[number];

export interface Customer {
  name: string;
  company?: string;
  /** Absent only for a complaint keyed in by staff from a customer with no email address. */
  email?: string;
  phone?: string;
  market: Market;
  /** `CN-GD` style province code (domestic) or ISO 3166-1 alpha-2 country (export). */
  region: string;
}

export interface OrderTrace {
  contractNo?: string;
  orderNo?: string;
  deliveryNoteNo?: string;
  batchNo?: string;
  productModel?: string;
}

export interface Claim {
  type: ClaimType;
  amount?: number;
  currency?: string;
}

/** What intake accepted, before it has an identity. */
export interface ComplaintDraft {
  customer: Customer;
  category: Category;
  subject: string;
  description: string;
  order?: OrderTrace;
  claim?: Claim;
  language: Language;
  channel: Channel;
  /** Keyed in by staff: when the letter, call or visit reached us (due dates run from it). */
  receivedAt?: string;
}

export interface Complaint extends ComplaintDraft {
  id: string;
  reference: string;
  status: ComplaintStatus;
  createdAt: string;
  updatedAt: string;
  /** Set once the routing message is on its queue; until then the sweep owns it. */
  enqueuedAt?: string;
  /** Who was told, in which role: decided once, by routing. */
  routing?: RoutingDecision;
  /** Severity and due dates, set with the routing. */
  assessment?: Assessment;
  /** Set once every notification of the routing is on the notification queue. */
  notificationsQueuedAt?: string;
  /** Notifications SES refused for good (`received:customer`, …): staff must reach them otherwise. */
  undeliveredNotifications?: string[];
  /**
   * SES reported mail to the customer as bounced for good (their address does not work):
   * when, and which mail. Staff see it on the complaint; the owner is told to phone.
   */
  customerMailBounce?: { at: string; notification: string };
  /** SHA-256 digests of the status links' access tokens (`?access=`), never the tokens. */
  statusAccessDigests?: string[];
  /**
   * Intake kept the complaint but sends this address no acknowledgement: it had its day's
   * share already (anyone may post the form with any address; our domain is no mail relay).
   */
  acknowledgementWithheld?: boolean;
  /** Case handling (see `case-lifecycle.ts`): how many actions were taken, and what they left. */
  version?: number;
  firstResponseAt?: string;
  proposal?: Proposal;
  respondedAt?: string;
  closedAt?: string;
  /** The latest case event whose emails are all on the notification queue. */
  notifiedVersion?: number;
  /** Overdue levels already escalated, each once. */
  escalations?: EscalationLevel[];
  /**
   * Set with the routing decision: the GM's queue row is the register row, and the GM has no
   * assignment item. Complaints routed before that keep their GM assignment item instead.
   */
  gmQueueOnRegisterRow?: boolean;
}

/** Acknowledgements one address may get a day; complaints beyond it are kept, unacknowledged. */
export const acknowledgementsPerAddressPerDay = 5;

/** Customer emails are in Chinese for domestic customers and English for export, unless asked. */
export function defaultLanguage(market: Market): Language {
  return market === 'domestic' ? 'zh' : 'en';
}

/** Claims default to the currency the market invoices in. */
export function defaultCurrency(market: Market): string {
  return market === 'domestic' ? 'CNY' : 'USD';
}

const referencePattern = /^FB-(\d{4})-(\d{6,})$/;

/** `FB-2026-000123`: readable, sequential per year, six digits (more only past 999,999). */
export function formatReference(year: number, sequence: number): string {
  return `FB-${year}-${String(sequence).padStart(6, '0')}`;
}

export function isReference(value: string): boolean {
  return referencePattern.test(value);
}

/** What the customer may see of their complaint: no internal notes, no staff names. */
export interface PublicStatus {
  reference: string;
  status: ComplaintStatus;
  category: Category;
  subject: string;
  receivedAt: string;
  updatedAt: string;
}

export function publicStatus(complaint: Complaint): PublicStatus {
  return {
    reference: complaint.reference,
    status: complaint.status,
    category: complaint.category,
    subject: complaint.subject,
    receivedAt: complaint.createdAt,
    updatedAt: complaint.updatedAt,
  };
}

/** Case-insensitive, as mail systems treat the address. */
export function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
