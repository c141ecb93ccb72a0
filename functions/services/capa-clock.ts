/**
 * CAPA's clock, run by the `sla-escalation` schedule: every CAPA with an undone action past
 * due (`byDue`, `DUE#capa`, no Scan); each overdue action is mailed to its department and the
 * GM (send-once markers) and then recorded once, shown in the CAPA's history and pages.
 */
import { type CapaEscalation, capaDue, recordCapaEscalation } from '#functions/data/capa.ts';
import { listDepartments } from '#functions/data/configuration.ts';
import { keys } from '#functions/data/keys.ts';
import {
  endOfChinaDay,
  overdueActions,
  overdueRecipients,
  type PlannedAction,
} from '#functions/domain/capa.ts';
import { capaOverdueEmail } from '#functions/email/capa-emails.ts';
import type { Clock } from '#functions/shared/clock.ts';
import { publicUrl } from '#functions/shared/links.ts';
import { log } from '#functions/shared/log.ts';
import { type LoadedCapa, loadCapa, stateOf } from './capa.ts';
import { sendOnce } from './send-once.ts';

/**
 * The schedule's sweep: every CAPA with an undone action past due (`byDue`, `DUE#capa`);
 * each overdue action is escalated once (a record put only if absent, shown in the CAPA's
 * history and on its page, naming the action's department and the GM).
 */
export async function escalateOverdueCapa(now: Date, clock: Clock): Promise<{ escalated: number }> {
  let escalated = 0;
  for (const { reference } of await capaDue(now.toISOString())) {
    const loaded = await loadCapa(reference);
    if (!loaded) continue;
    const state = stateOf(loaded.item);
    for (const index of overdueActions(state, now)) {
      const planned = state.actions[index];
      if (!planned) continue;
      const escalation: CapaEscalation = {
        reference,
        action: index,
        department: planned.department,
        dueAt: endOfChinaDay(planned.dueDate),
        at: now.toISOString(),
        notify: overdueRecipients(planned),
      };
      // Mailed before it is recorded: a crash in between mails again, and the markers send once.
      if (!(await mailEscalation(loaded, escalation, planned, now, clock))) continue;
      if (await recordCapaEscalation(loaded.year, escalation)) {
        escalated++;
        log.info('capa action overdue; escalated', { reference, notification: planned.department });
      }
    }
  }
  return { escalated };
}

/** One mail to each department told; false when SES asked for a retry (the next run tries again). */
async function mailEscalation(
  loaded: LoadedCapa,
  escalation: CapaEscalation,
  planned: PlannedAction,
  now: Date,
  clock: Clock,
): Promise<boolean> {
  const departments = await listDepartments();
  let complete = true;
  for (const code of escalation.notify) {
    const department = departments.find((candidate) => candidate.code === code);
    if (!department) continue;
    const sent = await sendOnce({
      marker: keys.capaEscalationMail(loaded.year, escalation.reference, escalation.action, code),
      label: `capa-overdue:${escalation.reference}:${escalation.action}:${code}`,
      sender: 'slaEscalation',
      now,
      clock,
      to: department.email,
      compose: async () =>
        capaOverdueEmail({
          reference: escalation.reference,
          problem: loaded.item.problem,
          action: planned,
          index: escalation.action,
          dueAt: escalation.dueAt,
          url: publicUrl(`/staff/capa/${encodeURIComponent(escalation.reference)}`),
        }),
    });
    if (sent.outcome === 'retry') complete = false;
  }
  return complete;
}
