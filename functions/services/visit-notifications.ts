/**
 * The emails of a visit, composed when sent (the queue message names only the complaint,
 * the visit and which mail). Each mail that carries a link issues a fresh token and stores
 * only its SHA-256: the report link is single use because the report is set once on the
 * visit, whichever of its links is used.
 */
import { getOutlet, listDepartments } from '#functions/data/configuration.ts';
import { getVisit, storeVisitToken, type Visit } from '#functions/data/visits.ts';
import type { Complaint } from '#functions/domain/complaint.ts';
import type { VisitNotification } from '#functions/domain/notifications.ts';
import type { Outlet } from '#functions/domain/outlets.ts';
import { ownerFor } from '#functions/domain/routing.ts';
import { issueSurveyToken } from '#functions/domain/survey-token.ts';
import type { OutgoingEmail } from '#functions/email/mailer.ts';
import {
  type VisitFacts,
  visitAssignmentEmail,
  visitCustomerEmail,
  visitOverdueOwnerEmail,
} from '#functions/email/visit-emails.ts';
import { addSeconds } from '#functions/shared/clock.ts';
import { publicUrl } from '#functions/shared/links.ts';
import { consoleUrl } from './case-notifications.ts';

export class VisitNotificationUnresolvable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VisitNotificationUnresolvable';
  }
}

/** Report links work for 60 days after they are sent; calendar links for a year. */
const reportLinkDays = 60;
const calendarLinkDays = 365;

export function visitFacts(visit: Visit, outlet: Outlet | undefined): VisitFacts {
  return {
    date: visit.date,
    from: visit.from,
    to: visit.to,
    timeZone: visit.timeZone,
    address: visit.address,
    contact: visit.contact,
    visitorName:
      visit.assignee.kind === 'technician' ? visit.assignee.name : (outlet?.name.zh ?? ''),
  };
}

async function issueLink(
  visit: Visit,
  purpose: 'report' | 'calendar',
  now: Date,
  path: (token: string) => string,
): Promise<string> {
  const days = purpose === 'report' ? reportLinkDays : calendarLinkDays;
  const issued = issueSurveyToken(addSeconds(now, days * 86_400));
  await storeVisitToken({
    digest: issued.digest,
    complaintId: visit.complaintId,
    visitId: visit.visitId,
    purpose,
    expiresAt: issued.expiresAt,
  });
  return publicUrl(path(issued.token));
}

export async function composeVisitEmail(
  complaint: Complaint,
  notification: VisitNotification,
  now: Date,
): Promise<OutgoingEmail> {
  const visit = await getVisit(complaint.id, notification.visitId);
  if (!visit) throw new VisitNotificationUnresolvable(`No visit ${notification.visitId}`);
  const outlet = visit.assignee.kind === 'outlet' ? await getOutlet(visit.assignee.id) : undefined;
  if (visit.assignee.kind === 'outlet' && !outlet) {
    throw new VisitNotificationUnresolvable(`Outlet ${visit.assignee.id} is not configured`);
  }
  const facts = visitFacts(visit, outlet);
  switch (notification.mail) {
    case 'customer': {
      const to = complaint.customer.email;
      if (!to) throw new VisitNotificationUnresolvable('The customer has no email address');
      const calendarUrl = await issueLink(visit, 'calendar', now, (token) => `/visit/${token}/ics`);
      return {
        to,
        ...visitCustomerEmail(
          complaint,
          { ...facts, visitorName: outlet ? outlet.name[complaint.language] : facts.visitorName },
          calendarUrl,
        ),
      };
    }
    case 'visitor':
    case 'reminder_visitor': {
      const reportUrl = await issueLink(visit, 'report', now, (token) => `/visit/${token}`);
      const to = outlet
        ? outlet.email
        : visit.assignee.kind === 'technician'
          ? visit.assignee.email
          : '';
      const name = outlet ? outlet.name[outlet.language] : facts.visitorName;
      return {
        to,
        ...visitAssignmentEmail(
          complaint,
          facts,
          name,
          outlet?.language ?? 'zh',
          reportUrl,
          notification.mail === 'reminder_visitor',
        ),
      };
    }
    case 'reminder_owner': {
      const code = ownerFor(complaint.customer.market);
      const address = (await listDepartments()).find((entry) => entry.code === code)?.email;
      if (!address) throw new VisitNotificationUnresolvable(`Department ${code} has no address`);
      return {
        to: address,
        ...visitOverdueOwnerEmail(complaint, facts, consoleUrl(complaint.reference)),
      };
    }
  }
}
