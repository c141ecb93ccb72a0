/**
 * Figures measured before the cost-and-latency work (issue 14), on the same meter: the
 * targets are ratios of these (write units per complaint at most half of them).
 */
export const baselineWriteUnits: Record<string, number> = {
  'short complaint': 39,
  'quality complaint': 63,
  '5,000-character description': 119,
};
