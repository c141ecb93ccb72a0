/**
 * Who may be sent the yearly survey. Only customers an operator imported, or complainants
 * whose complaint staff have accepted (a real exchange took place), may be; an address that
 * opted out, bounced for good or reported our mail as spam never is. Anyone can type any
 * address into the public form, so a complaint alone consents to nothing.
 */

export interface SurveyEligibilityFacts {
  /** How the entry first came: `import` is an operator's CSV. */
  source: 'complaint' | 'import';
  /** When an operator imported the address (also an entry a complaint created first). */
  importedAt?: string;
  /** When staff accepted a complaint from this address. */
  complaintAcceptedAt?: string;
  deliverable: boolean;
  undeliverableReason?: string;
  /** When the address asked for no more survey mail (the unsubscribe link or page). */
  optedOutAt?: string;
}

export type SurveyExclusion = 'opted_out' | 'bounced' | 'complained' | 'undeliverable' | 'no_basis';

/** Why the address may not be surveyed, or undefined when it may. */
export function surveyExclusion(facts: SurveyEligibilityFacts): SurveyExclusion | undefined {
  if (facts.optedOutAt) return 'opted_out';
  if (!facts.deliverable) {
    if (facts.undeliverableReason === 'bounced') return 'bounced';
    if (facts.undeliverableReason === 'complained') return 'complained';
    return 'undeliverable';
  }
  const imported = facts.source === 'import' || facts.importedAt !== undefined;
  if (!imported && !facts.complaintAcceptedAt) return 'no_basis';
  return undefined;
}

export function surveyEligible(facts: SurveyEligibilityFacts): boolean {
  return surveyExclusion(facts) === undefined;
}
