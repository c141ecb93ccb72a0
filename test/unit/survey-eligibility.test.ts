import { describe, expect, it } from 'vitest';
import {
  type SurveyEligibilityFacts,
  surveyEligible,
  surveyExclusion,
} from '#functions/domain/survey-eligibility.ts';

const imported: SurveyEligibilityFacts = { source: 'import', deliverable: true };
const complainant: SurveyEligibilityFacts = { source: 'complaint', deliverable: true };
const at = '2027-01-10T02:00:00.000Z';

describe('who may be surveyed', () => {
  it('an imported customer may; a complainant only once staff accepted the complaint', () => {
    expect(surveyEligible(imported)).toBe(true);
    expect(surveyExclusion(complainant)).toBe('no_basis');
    expect(surveyEligible({ ...complainant, complaintAcceptedAt: at })).toBe(true);
    expect(surveyEligible({ ...complainant, importedAt: at })).toBe(true);
  });

  it('never an address that opted out, bounced for good or complained, whatever its basis', () => {
    for (const basis of [imported, { ...complainant, complaintAcceptedAt: at }]) {
      expect(surveyExclusion({ ...basis, optedOutAt: at })).toBe('opted_out');
      expect(
        surveyExclusion({ ...basis, deliverable: false, undeliverableReason: 'bounced' }),
      ).toBe('bounced');
      expect(
        surveyExclusion({ ...basis, deliverable: false, undeliverableReason: 'complained' }),
      ).toBe('complained');
      expect(
        surveyExclusion({ ...basis, deliverable: false, undeliverableReason: 'MessageRejected' }),
      ).toBe('undeliverable');
    }
  });
});
