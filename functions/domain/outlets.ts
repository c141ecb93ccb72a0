/**
 * The service network (BRIEF.md, "Service network"): regional outlets and export agents,
 * each covering provinces (`CN-GD`) or countries (`DE`). Which outlet covers what is
 * operator configuration, kept in the table; this module only says how one is chosen.
 */
import type { Language } from './complaint.ts';
import type { Bilingual } from './labels.ts';

export interface Outlet {
  /** Stable identifier, lower-case letters, digits and dashes (`south-china`). */
  id: string;
  name: Bilingual;
  email: string;
  /** Province codes (`CN-GD`) and/or ISO 3166-1 alpha-2 countries (`DE`) it serves. */
  regions: string[];
  /** The language its alerts are written in. */
  language: Language;
  /** Where it works (IANA, e.g. Europe/Amsterdam): its alerts show its own time beside China's. */
  timeZone?: string;
}

export const outletIdPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The outlet serving `region`; when several do, the first by id, so the choice is stable. */
export function outletCovering(region: string, outlets: readonly Outlet[]): Outlet | undefined {
  const wanted = region.trim().toUpperCase();
  return [...outlets]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .find((outlet) => outlet.regions.some((covered) => covered.toUpperCase() === wanted));
}
