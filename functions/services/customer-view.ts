/**
 * One view of a customer for staff: their registry entry (with whether mail to them
 * bounced), every complaint they filed with how it ended, and every yearly survey answer.
 * Reads only: GetItem and Query, never a Scan.
 */
import * as z from 'zod/mini';
import { caseEvents, complaintPartition } from '#functions/data/cases.ts';
import { getComplaint } from '#functions/data/complaints.ts';
import {
  type Customer,
  deliverableCustomers,
  getCustomer,
  offlineSurveyCustomers,
} from '#functions/data/customers.ts';
import { queryAllPages } from '#functions/data/db.ts';
import { indexKeys } from '#functions/data/keys.ts';
import { getInvitation, type SurveyInvitation } from '#functions/data/surveys.ts';
import { type Visit, visitsFromPartition } from '#functions/data/visits.ts';
import { categories, statuses } from '#functions/domain/complaint.ts';
import { type HandlingOutcome, handlingOutcome } from '#functions/domain/customer-history.ts';
import { businessYear } from '#functions/shared/clock.ts';

const complaintRow = z.lazy(() =>
  z.object({
    id: z.string(),
    reference: z.string(),
    createdAt: z.string(),
    category: z.enum(categories),
    status: z.enum(statuses),
    subject: z.optional(z.string()),
    closedAt: z.optional(z.string()),
  }),
);

export interface CustomerComplaint extends z.output<typeof complaintRow> {
  outcome: HandlingOutcome;
  /** On-site visits scheduled for it, with their reports. */
  visits: Visit[];
}

/** Every complaint filed from the address, newest first, with how its handling ended. */
export async function complaintsOfCustomer(email: string): Promise<CustomerComplaint[]> {
  const items = await queryAllPages({
    IndexName: 'byCustomer',
    KeyConditionExpression: 'customerKey = :key',
    ExpressionAttributeValues: { ':key': indexKeys.customer(email, '').customerKey },
    ScanIndexForward: false,
  });
  // `byCustomer` copies only the id and reference: each complaint is one GetItem more.
  const found = await Promise.all(
    items.map(async (item): Promise<CustomerComplaint | undefined> => {
      const key = z.safeParse(z.object({ id: z.string() }), item);
      const complaint = key.success ? await getComplaint(key.data.id) : undefined;
      const row = z.safeParse(complaintRow, complaint);
      if (!row.success) return undefined;
      const [events, partition] = await Promise.all([
        caseEvents(row.data.id),
        complaintPartition(row.data.id),
      ]);
      return {
        ...row.data,
        outcome: handlingOutcome(events),
        visits: visitsFromPartition(partition),
      };
    }),
  );
  return found.filter((complaint) => complaint !== undefined);
}

/** The customer's survey invitations (and answers) of the last `years` years, newest first. */
export async function surveysOfCustomer(
  email: string,
  now: Date,
  years = 10,
): Promise<SurveyInvitation[]> {
  const current = businessYear(now);
  const found: SurveyInvitation[] = [];
  for (let year = current; year > current - years; year--) {
    const invitation = await getInvitation(year, email);
    if (invitation) found.push(invitation);
  }
  return found;
}

export interface CustomerView {
  email: string;
  customer?: Customer;
  complaints: CustomerComplaint[];
  surveys: SurveyInvitation[];
}

export async function customerView(email: string, now: Date): Promise<CustomerView> {
  const [customer, complaints, surveys] = await Promise.all([
    getCustomer(email),
    complaintsOfCustomer(email),
    surveysOfCustomer(email, now),
  ]);
  return { email, ...(customer ? { customer } : {}), complaints, surveys };
}

/**
 * Customers whose company, name or email contains the query. Reads the registry's sparse
 * index (the survey lists: deliverable by email, and phone/fax/post), a Query per page of
 * 100, and filters in memory: a few thousand customers is a few dozen reads. A customer who
 * left those lists (mail bounced for good) is found by typing the whole address.
 */
export async function searchCustomers(query: string, limit = 50): Promise<Customer[]> {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [];
  const found: Customer[] = [];
  if (needle.includes('@')) {
    const exact = await getCustomer(needle);
    if (exact) found.push(exact);
  }
  for (const list of [deliverableCustomers, offlineSurveyCustomers]) {
    let next: Record<string, unknown> | undefined;
    do {
      const page = await list(100, next);
      for (const customer of page.customers) {
        if (found.length >= limit) return found;
        if (found.some((known) => known.email === customer.email)) continue;
        const hit = [customer.company, customer.name, customer.email].some((value) =>
          value?.toLowerCase().includes(needle),
        );
        if (hit) found.push(customer);
      }
      next = page.next;
    } while (next);
  }
  return found;
}
