/**
 * On-site visits (issue 15): the owner schedules one on an `onsite_service` or
 * `technical_support` complaint; the customer and who goes are mailed (exactly once each,
 * the notification queue's markers); who went reports through the personal link, once (the
 * report is set once on the visit item); an unreported visit reminds who went and the owner
 * once, one working day after its window (`case-daily`).
 */
import { createHash, randomUUID } from 'node:crypto';
import { notificationMessageFor } from '#functions/contract/messages.ts';
import type { VisitReportInput, VisitScheduleInput } from '#functions/contract/visits.ts';
import { getOutlet, getRoutingPolicy } from '#functions/data/configuration.ts';
import { idempotentId } from '#functions/data/idempotency.ts';
import {
  getVisit,
  getVisitToken,
  markVisitNotified,
  markVisitReminded,
  putVisit,
  recordVisitReport,
  type Visit,
  visitsDue,
} from '#functions/data/visits.ts';
import { isOwner } from '#functions/domain/case-lifecycle.ts';
import type { Complaint } from '#functions/domain/complaint.ts';
import type { DepartmentCode } from '#functions/domain/departments.ts';
import type { VisitMail } from '#functions/domain/notifications.ts';
import { checkSurveyToken, surveyTokenDigest } from '#functions/domain/survey-token.ts';
import {
  allowsVisit,
  defaultVisitTimeZone,
  visitCalendar,
  visitReminderDueAt,
  visitWindow,
  zonedInstant,
} from '#functions/domain/visits.ts';
import { noHolidays } from '#functions/domain/working-hours.ts';
import { log } from '#functions/shared/log.ts';
import { sendToQueue } from '#functions/shared/queues.ts';
import { canSee, loadCase, loadCaseById } from './cases.ts';
import { syncRegisterRow } from './register.ts';

export interface StaffActor {
  email: string;
  name: string;
  roles: DepartmentCode[];
}

export type ScheduleOutcome =
  | { outcome: 'scheduled'; visitId: string; startsAt: string; endsAt: string }
  | { outcome: 'not_found' }
  | { outcome: 'forbidden' }
  /** Not a complaint visits are for, or no outlet to send, or a window that ends before it starts. */
  | { outcome: 'invalid'; errors: Record<string, string> }
  /** The idempotency key scheduled another visit: a different request. */
  | { outcome: 'key_reused' };

async function enqueue(complaintId: string, visitId: string, mails: readonly VisitMail[]) {
  for (const mail of mails) {
    await sendToQueue(
      'notification',
      notificationMessageFor(complaintId, { event: 'visit', visitId, mail }),
    );
  }
}

/**
 * Schedules a visit and queues its mails. With an idempotency key (the form's hidden one, or
 * the API's `Idempotency-Key`) the visit's id is derived from the key, the author and the
 * complaint, so its conditional put is the key's claim: a repeat of the same request (a
 * double click, a retry) finds the visit, finishes what the first attempt left undone and
 * answers the same; another request with the key is refused.
 */
export async function scheduleVisit(request: {
  reference: string;
  actor: StaffActor;
  input: VisitScheduleInput;
  now: Date;
  idempotencyKey?: string;
}): Promise<ScheduleOutcome> {
  const loaded = await loadCase(request.reference);
  if (!loaded || !canSee(request.actor.roles, loaded.parties)) return { outcome: 'not_found' };
  if (!isOwner(request.actor.roles, loaded.parties)) return { outcome: 'forbidden' };
  const { complaint } = loaded;
  const { input } = request;
  if (!allowsVisit(complaint.category)) {
    return {
      outcome: 'invalid',
      errors: {
        _: 'Visits are for on-site service and technical support complaints / 仅上门服务和技术支持类投诉可安排上门',
      },
    };
  }
  let assignee: Visit['assignee'];
  let timeZone = defaultVisitTimeZone;
  if (input.assignee === 'outlet') {
    const outletId = complaint.routing?.outlet?.id;
    const outlet = outletId ? await getOutlet(outletId) : undefined;
    if (!outletId || !outlet) {
      return {
        outcome: 'invalid',
        errors: {
          assignee:
            'No regional outlet serves this complaint: name a technician / 无对应网点，请指定技术人员',
        },
      };
    }
    assignee = { kind: 'outlet', id: outletId };
    timeZone = outlet.timeZone ?? defaultVisitTimeZone;
  } else {
    if (!input.technicianName || !input.technicianEmail) {
      return {
        outcome: 'invalid',
        errors: {
          technicianName: 'Name the technician and their email / 请填写技术人员姓名和邮箱',
        },
      };
    }
    assignee = { kind: 'technician', name: input.technicianName, email: input.technicianEmail };
  }
  const window = visitWindow(input.date, input.from, input.to, timeZone);
  if (!window)
    return {
      outcome: 'invalid',
      errors: { to: 'The window ends before it starts / 结束时间须晚于开始时间' },
    };
  const policy = await getRoutingPolicy();
  const at = request.now.toISOString();
  const key = request.idempotencyKey;
  const requestFingerprint =
    key === undefined
      ? undefined
      : createHash('sha256').update(JSON.stringify(input), 'utf8').digest('hex');
  const visit: Visit = {
    complaintId: complaint.id,
    visitId:
      key === undefined
        ? randomUUID()
        : idempotentId(`visit\u0000${request.actor.email}\u0000${complaint.id}`, key),
    date: input.date,
    from: input.from,
    to: input.to,
    timeZone,
    ...window,
    assignee,
    address: input.address,
    contact: {
      name: input.contactName,
      ...(input.contactPhone ? { phone: input.contactPhone } : {}),
    },
    scheduledAt: at,
    scheduledBy: request.actor,
    remindAt: visitReminderDueAt(window.endsAt, policy.calendar ?? noHolidays),
    ...(requestFingerprint ? { requestFingerprint } : {}),
  };
  let scheduled = visit;
  if (!(await putVisit(visit))) {
    // Only a keyed id can be taken: by this very request before, or by another one.
    const stored = await getVisit(complaint.id, visit.visitId);
    if (!stored || stored.requestFingerprint !== requestFingerprint) {
      return { outcome: 'key_reused' };
    }
    scheduled = stored;
  }
  // The register's row shows the visit; rewritten from the stored items, so a retry repeats it.
  await syncRegisterRow(complaint.id);
  if (!scheduled.notifiedAt) await notifyScheduled(scheduled, !!complaint.customer.email, at);
  log.info('visit scheduled', { complaintId: complaint.id, reference: complaint.reference });
  return {
    outcome: 'scheduled',
    visitId: scheduled.visitId,
    startsAt: scheduled.startsAt,
    endsAt: scheduled.endsAt,
  };
}

/**
 * Queues the customer's and the outlet's mails, then marks them queued. A crash in between
 * leaves the visit due in `byDue`, and `case-daily` queues them again (the markers send each once).
 */
async function notifyScheduled(visit: Visit, customerHasEmail: boolean, at: string) {
  await enqueue(
    visit.complaintId,
    visit.visitId,
    customerHasEmail ? ['customer', 'visitor'] : ['visitor'],
  );
  await markVisitNotified(visit.complaintId, visit.visitId, at, visit.remindAt);
}

export type VisitLinkRefusal = 'malformed' | 'unknown' | 'used' | 'expired';

export type VisitLink =
  | { ok: true; visit: Visit; complaint: Complaint }
  | { ok: false; reason: VisitLinkRefusal; visit?: Visit };

/** The visit behind a link of `purpose`; a report link whose visit is reported counts as used. */
export async function openVisitLink(
  token: string,
  purpose: 'report' | 'calendar',
  now: Date,
): Promise<VisitLink> {
  const digest = /^[A-Za-z0-9_-]{43}$/.test(token) ? surveyTokenDigest(token) : undefined;
  const stored = digest ? await getVisitToken(digest) : undefined;
  const check = checkSurveyToken(
    token,
    stored && stored.purpose === purpose ? stored : undefined,
    now,
  );
  if (!check.ok || !stored) return { ok: false, reason: check.ok ? 'unknown' : check.reason };
  const [visit, loaded] = await Promise.all([
    getVisit(stored.complaintId, stored.visitId),
    loadCaseById(stored.complaintId),
  ]);
  if (!visit || !loaded) return { ok: false, reason: 'unknown' };
  if (purpose === 'report' && visit.report) return { ok: false, reason: 'used', visit };
  return { ok: true, visit, complaint: loaded.complaint };
}

export type ReportOutcome =
  | { outcome: 'recorded'; visit: Visit }
  | { outcome: 'invalid'; errors: Record<string, string>; visit: Visit; complaint: Complaint }
  | Extract<VisitLink, { ok: false }>;

export async function reportVisit(
  token: string,
  input: VisitReportInput,
  now: Date,
): Promise<ReportOutcome> {
  const link = await openVisitLink(token, 'report', now);
  if (!link.ok) return link;
  const { visit } = link;
  const arrivedAt = zonedInstant(...splitLocal(input.arrivedAt), visit.timeZone).toISOString();
  const departedAt = zonedInstant(...splitLocal(input.departedAt), visit.timeZone).toISOString();
  if (departedAt < arrivedAt) {
    return {
      outcome: 'invalid',
      errors: { departedAt: 'Departure is before arrival / 离开时间早于到达时间' },
      visit,
      complaint: link.complaint,
    };
  }
  const report = {
    arrivedAt,
    departedAt,
    findings: input.findings,
    workDone: input.workDone,
    ...(input.parts ? { parts: input.parts } : {}),
    confirmedBy: input.confirmedBy,
    reportedAt: now.toISOString(),
  };
  if (!(await recordVisitReport(visit.complaintId, visit.visitId, report))) {
    return { ok: false, reason: 'used', visit };
  }
  await syncRegisterRow(visit.complaintId);
  log.info('visit reported', { complaintId: visit.complaintId });
  return { outcome: 'recorded', visit: { ...visit, report } };
}

function splitLocal(value: string): [string, string] {
  return [value.slice(0, 10), value.slice(11, 16)];
}

/** The customer's calendar file, or undefined for a link that is not one. */
export async function visitCalendarFile(token: string, now: Date): Promise<string | undefined> {
  const link = await openVisitLink(token, 'calendar', now);
  if (!link.ok) return undefined;
  const { visit, complaint } = link;
  const outlet = visit.assignee.kind === 'outlet' ? await getOutlet(visit.assignee.id) : undefined;
  const who =
    visit.assignee.kind === 'technician'
      ? visit.assignee.name
      : (outlet?.name[complaint.language] ?? '');
  const zh = complaint.language === 'zh';
  return visitCalendar({
    uid: `${visit.visitId}@aftercare`,
    startsAt: visit.startsAt,
    endsAt: visit.endsAt,
    stampedAt: visit.scheduledAt,
    summary: zh ? `上门服务（${complaint.reference}）` : `On-site service (${complaint.reference})`,
    description: [
      zh ? `服务人员：${who}` : `Who comes: ${who}`,
      zh ? `现场联系人：${visit.contact.name}` : `Contact on site: ${visit.contact.name}`,
    ].join('\n'),
    location: visit.address,
  });
}

/** Unreported visits past their reminder time: who went and the owner are mailed, once. */
export async function remindUnreportedVisits(now: Date): Promise<{ visitsReminded: number }> {
  let reminded = 0;
  for (const due of await visitsDue(now.toISOString())) {
    if (!due.notifiedAt) {
      // Scheduled, but its mails were never marked queued (a crash): queue them now.
      const loaded = await loadCaseById(due.complaintId);
      await notifyScheduled(due, !!loaded?.complaint.customer.email, now.toISOString());
      if (Date.parse(due.remindAt) > now.getTime()) continue;
    }
    if (!(await markVisitReminded(due.complaintId, due.visitId, now.toISOString()))) continue;
    await enqueue(due.complaintId, due.visitId, ['reminder_visitor', 'reminder_owner']);
    reminded += 1;
  }
  if (reminded) log.info('unreported visits reminded', { count: reminded });
  return { visitsReminded: reminded };
}
