/** Filling the customer registry: from each complaint, and from the operator's CSV imports. */
import { type CustomerCsvResult, parseCustomerCsv } from '#functions/contract/customer-csv.ts';
import { complainantProfile, upsertCustomer } from '#functions/data/customers.ts';
import type { Complaint } from '#functions/domain/complaint.ts';

/**
 * The customer of a complaint joins the registry, or their entry is brought up to date: a
 * read only, when intake's acknowledgement already wrote the complaint's details.
 */
export async function registerComplainant(complaint: Complaint, now: string) {
  const profile = complainantProfile(complaint);
  // The registry is keyed by address: a customer keyed in without one cannot join it.
  return profile ? upsertCustomer(profile, 'complaint', now) : undefined;
}

export interface ImportReport extends CustomerCsvResult {
  created: number;
  updated: number;
}

/** Keeps every good row (a re-import updates, never duplicates) and reports the bad ones by line. */
export async function importCustomers(
  file: Uint8Array,
  now: string,
  progress: (done: number, total: number) => void = () => undefined,
): Promise<ImportReport> {
  const parsed = parseCustomerCsv(file);
  const report: ImportReport = { ...parsed, created: 0, updated: 0 };
  for (const [index, row] of parsed.good.entries()) {
    const outcome = await upsertCustomer(row.customer, 'import', now);
    report[outcome]++;
    progress(index + 1, parsed.good.length);
  }
  return report;
}
