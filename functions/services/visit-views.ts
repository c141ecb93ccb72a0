/** A complaint's visits as entries of its history: scheduled (by whom), reported, reminded. */
import { type Visit, visitsFromPartition } from '#functions/data/visits.ts';
import type { HistoryEntry } from './case-views.ts';

function who(visit: Visit): string {
  return visit.assignee.kind === 'outlet' ? visit.assignee.id : visit.assignee.name;
}

export function visitHistory(items: readonly Record<string, unknown>[]): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const visit of visitsFromPartition(items)) {
    entries.push({
      at: visit.scheduledAt,
      type: 'visit_scheduled',
      actor: {
        email: visit.scheduledBy.email,
        name: visit.scheduledBy.name,
        roles: visit.scheduledBy.roles,
      },
      visitId: visit.visitId,
      visitWindow: `${visit.date} ${visit.from}–${visit.to} (${visit.timeZone})`,
      visitor: who(visit),
      site: visit.address,
      siteContact: [visit.contact.name, visit.contact.phone].filter(Boolean).join(', '),
    });
    if (visit.report) {
      entries.push({
        at: visit.report.reportedAt,
        type: 'visit_reported',
        actor: { kind: 'visitor' },
        visitId: visit.visitId,
        visitor: who(visit),
        arrivedAt: visit.report.arrivedAt,
        departedAt: visit.report.departedAt,
        findings: visit.report.findings,
        workDone: visit.report.workDone,
        ...(visit.report.parts ? { parts: visit.report.parts } : {}),
        confirmedBy: visit.report.confirmedBy,
      });
    }
    if (visit.remindedAt) {
      entries.push({
        at: visit.remindedAt,
        type: 'visit_reminded',
        actor: { kind: 'system' },
        visitId: visit.visitId,
        visitor: who(visit),
      });
    }
  }
  return entries;
}
