/**
 * How a complaint ended for the customer, from its case events (pure): satisfied with the
 * handling, not satisfied, no answer (closed after the response went unanswered), or still
 * open. The yearly report splits satisfaction by it.
 */
import type { Bilingual } from './labels.ts';

export const handlingOutcomes = ['satisfied', 'not_satisfied', 'no_answer', 'open'] as const;
export type HandlingOutcome = (typeof handlingOutcomes)[number];

export const handlingOutcomeLabels: Record<HandlingOutcome, Bilingual> = {
  satisfied: { zh: '对处理满意', en: 'Satisfied with the handling' },
  not_satisfied: { zh: '对处理不满意', en: 'Not satisfied with the handling' },
  no_answer: { zh: '未回复，已结案', en: 'Closed, no answer' },
  open: { zh: '处理中', en: 'Still open' },
};

/** The latest customer answer decides; a reopened case answered again counts its last answer. */
export function handlingOutcome(
  events: readonly { type: string; fields: Record<string, unknown> }[],
): HandlingOutcome {
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index];
    if (!event) continue;
    if (event.type === 'customer_answer') {
      return event.fields.answer === 'satisfied' ? 'satisfied' : 'not_satisfied';
    }
    if (event.type === 'closed_no_reply') return 'no_answer';
  }
  return 'open';
}

/** Where a survey answer stands in the complaint split: no complaint, or how the complaints ended. */
export const complaintGroups = ['none', 'satisfied', 'not_satisfied', 'no_answer'] as const;
export type ComplaintGroup = (typeof complaintGroups)[number];

export const complaintGroupLabels: Record<ComplaintGroup, Bilingual> = {
  none: { zh: '当年无投诉', en: 'No complaint that year' },
  satisfied: { zh: '投诉，对处理满意', en: 'Complained, satisfied with the handling' },
  not_satisfied: { zh: '投诉，对处理不满意', en: 'Complained, not satisfied with the handling' },
  no_answer: { zh: '投诉，未表态或处理中', en: 'Complained, no answer or still open' },
};

/**
 * One group per customer: any complaint whose handling left them not satisfied puts them
 * there; otherwise any without an answer (or still open); satisfied only when every one was.
 */
export function complaintGroupOf(outcomes: readonly HandlingOutcome[]): ComplaintGroup {
  if (outcomes.length === 0) return 'none';
  if (outcomes.includes('not_satisfied')) return 'not_satisfied';
  if (outcomes.every((outcome) => outcome === 'satisfied')) return 'satisfied';
  return 'no_answer';
}

/** "That year": the complaints filed in the 365 days before the survey answer. */
export function inSurveyWindow(complaintAt: string, answeredAt: string): boolean {
  const answered = Date.parse(answeredAt);
  const filed = Date.parse(complaintAt);
  return filed <= answered && filed > answered - 365 * 86_400_000;
}
