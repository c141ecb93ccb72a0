/**
 * Who is told what about a complaint. One notification is one email to one recipient about
 * one event; `(complaint, event, recipient)` identifies it, and it is sent at most once.
 */
import type { DepartmentCode } from './departments.ts';

export type CustomerRecipient = { kind: 'customer' };
export type DepartmentRecipient = { kind: 'department'; code: DepartmentCode };
export type OutletRecipient = { kind: 'outlet'; id: string };
export type Recipient = CustomerRecipient | DepartmentRecipient | OutletRecipient;

/**
 * `received`: the customer's acknowledgement; `routed`: the alert to each party told;
 * `case`: what the case event of that version tells someone (see `caseNotifications`);
 * `escalation`: an overdue level, to the people it goes to, once per complaint;
 * `bounced`: the customer's mail bounced for good, to the owner, once per complaint.
 */
export type Notification =
  | { event: 'received'; recipient: CustomerRecipient }
  | { event: 'routed'; recipient: DepartmentRecipient | OutletRecipient }
  | { event: 'case'; version: number; recipient: CustomerRecipient | DepartmentRecipient }
  | {
      event: 'escalation';
      level: 'first_response' | 'resolution';
      recipient: DepartmentRecipient;
    }
  /** The customer's mail bounced for good: the owner is told to phone instead (once). */
  | { event: 'bounced'; recipient: DepartmentRecipient };

/** An on-site visit: the appointment to the customer and to who goes; the reminder when unreported. */
export type VisitNotification = { event: 'visit'; visitId: string; mail: VisitMail };

/** Every email the notification queue carries. */
export type QueuedNotification = Notification | VisitNotification;

/** `customer` and `visitor` when scheduled; `reminder_*` once when the report is late. */
export const visitMails = ['customer', 'visitor', 'reminder_visitor', 'reminder_owner'] as const;
export type VisitMail = (typeof visitMails)[number];

export function recipientKey(recipient: Recipient): string {
  switch (recipient.kind) {
    case 'customer':
      return 'customer';
    case 'department':
      return `department:${recipient.code}`;
    case 'outlet':
      return `outlet:${recipient.id}`;
  }
}

/** `routed:department:gm`: names the notification in markers, history and logs (no personal data). */
export function notificationKey(notification: QueuedNotification): string {
  switch (notification.event) {
    case 'case':
      return `case:${notification.version}:${recipientKey(notification.recipient)}`;
    case 'escalation':
      return `escalation:${notification.level}:${recipientKey(notification.recipient)}`;
    case 'visit':
      return `visit:${notification.visitId}:${notification.mail}`;
    default:
      return `${notification.event}:${recipientKey(notification.recipient)}`;
  }
}
