/**
 * The case clock. Every 15 minutes `sla-escalation` reads the open complaints whose next
 * deadline has passed (`byDue`, no Scan): a first response overdue reminds the owner and the
 * office, a resolution overdue goes to the GM, each level once per complaint (a conditional
 * list append on the complaint, then send-once markers per email). Each morning at 08:30
 * `case-daily` mails the GM the overdue list and closes responses the customer left
 * unanswered for `HANDLING_FEEDBACK_DAYS`.
 */
import { notificationMessageFor } from '#functions/contract/messages.ts';
import {
  appendCaseEvent,
  assignmentsIn,
  type CaseEvent,
  complaintsDue,
  recordEscalation,
} from '#functions/data/cases.ts';
import { listDepartments } from '#functions/data/configuration.ts';
import { recordHistoryEvent } from '#functions/data/history.ts';
import { keys } from '#functions/data/keys.ts';
import { nextDeadline, overdueLevels } from '#functions/domain/case-lifecycle.ts';
import { type DigestLine, digestEmail } from '#functions/email/case-emails.ts';
import { businessDay, type Clock } from '#functions/shared/clock.ts';
import { publicUrl } from '#functions/shared/links.ts';
import { log } from '#functions/shared/log.ts';
import { countBusiness } from '#functions/shared/metrics.ts';
import { sendToQueue } from '#functions/shared/queues.ts';
import { escalationNotifications, feedbackDays } from './case-notifications.ts';
import { catchUp, type LoadedCase, loadCaseById } from './cases.ts';
import { suggestionLink, suggestionsEnding } from './register.ts';
import { sendOnce } from './send-once.ts';

async function* overdueCases(now: Date): AsyncGenerator<LoadedCase> {
  let after: string | undefined;
  do {
    const page = await complaintsDue(now.toISOString(), 50, after);
    for (const id of page.ids) {
      const loaded = await loadCaseById(id);
      if (loaded) yield loaded;
    }
    after = page.next;
  } while (after);
}

export async function escalateOverdue(now: Date): Promise<{ escalated: number }> {
  let escalated = 0;
  for await (const { complaint, state } of overdueCases(now)) {
    if (!complaint.assessment) continue;
    for (const level of overdueLevels(state, complaint.assessment, now)) {
      if (complaint.escalations?.includes(level)) continue;
      const dueAt =
        level === 'first_response'
          ? complaint.assessment.firstResponseDueAt
          : complaint.assessment.resolutionDueAt;
      // Queued before the level is recorded: a crash in between repeats the queueing, and the markers send once.
      for (const notification of escalationNotifications(level, complaint)) {
        await sendToQueue('notification', notificationMessageFor(complaint.id, notification));
      }
      // On record, keyed by the deadline it is about, so a repeat adds nothing.
      await recordHistoryEvent(
        complaint.id,
        { type: 'escalated', at: dueAt, actor: 'system', details: { level } },
        level,
      );
      if (await recordEscalation(complaint.id, level)) escalated++;
      log.info('complaint overdue; escalated', {
        complaintId: complaint.id,
        reference: complaint.reference,
        notification: level,
      });
    }
  }
  countBusiness('Escalations', escalated);
  return { escalated };
}

/** The GM's morning mail: what is overdue now, sent once a (China-time) day. */
export async function sendDigest(
  now: Date,
  clock: Clock,
): Promise<{ overdue: number; outcome: string }> {
  const lines: DigestLine[] = [];
  for await (const { complaint, state } of overdueCases(now)) {
    const dueAt = complaint.assessment
      ? nextDeadline(state, complaint.assessment)?.dueAt
      : undefined;
    if (!dueAt) continue;
    lines.push({
      reference: complaint.reference,
      subject: complaint.subject,
      status: state.status,
      dueAt,
    });
  }
  // Repeated problems (≥3 of one category and model within 90 days) proposed for a CAPA.
  const suggestions = (await suggestionsEnding(businessDay(now), now)).map((suggestion) => ({
    category: suggestion.category,
    productModel: suggestion.productModel,
    references: suggestion.references,
    count: suggestion.count,
    url: publicUrl(suggestionLink(suggestion)),
  }));
  const gm = (await listDepartments()).find((department) => department.code === 'gm');
  if (!gm) throw new Error('The gm department has no address configured');
  const day = businessDay(now);
  const sent = await sendOnce({
    marker: keys.digestMail(day),
    label: `digest:${day}`,
    sender: 'caseDaily',
    now,
    clock,
    to: gm.email,
    compose: async () => digestEmail(day, lines, publicUrl('/staff/'), suggestions),
  });
  if (sent.outcome === 'retry')
    throw new Error('The digest could not be sent; the schedule retries');
  return { overdue: lines.length, outcome: sent.outcome };
}

/** Responses unanswered for `HANDLING_FEEDBACK_DAYS` are closed as "no reply". */
export async function closeUnanswered(now: Date): Promise<{ closed: number }> {
  const cutoff = now.getTime() - feedbackDays() * 86_400_000;
  let closed = 0;
  let before: string | undefined;
  for (;;) {
    // Every routed complaint has one GM row (its register row, or the GM assignment item of one
    // routed before): the GM's responded partition lists them all, each once.
    const rows = await assignmentsIn('gm', 'responded', 50, before);
    for (const row of rows) {
      const loaded = await loadCaseById(row.complaintId);
      if (loaded?.state.status !== 'responded') continue;
      const respondedAt = Date.parse(loaded.state.respondedAt ?? '');
      if (Number.isNaN(respondedAt) || respondedAt > cutoff) continue;
      const at = now.toISOString();
      const event: CaseEvent = {
        complaintId: loaded.complaint.id,
        version: loaded.state.version + 1,
        type: 'closed_no_reply',
        at,
        actor: { kind: 'system' },
        fields: { reason: 'no_reply' },
        state: {
          ...loaded.state,
          version: loaded.state.version + 1,
          status: 'closed',
          closedAt: at,
        },
      };
      // Staff acting at the same moment win: the close waits for tomorrow's run.
      if (!(await appendCaseEvent(event))) continue;
      await catchUp(loaded.complaint, event);
      closed++;
    }
    const last = rows[rows.length - 1];
    if (rows.length < 50 || !last) break;
    before = last.departmentSort;
  }
  return { closed };
}
