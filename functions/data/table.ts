/**
 * The single table's shape: key attributes and secondary indexes. The CDK stack and the
 * local host create the table from this; `keys.ts` builds every key value stored in it.
 */
export const tableKeys = { partitionKey: 'pk', sortKey: 'sk' } as const;

export interface IndexSpec {
  partitionKey: string;
  sortKey: string;
  purpose: string;
  /**
   * What the index copies beside the table's and its own keys: `keys` (nothing), the named
   * attributes a list shows, or `all`. Every write that touches a copied attribute rewrites
   * the copy, so indexes copy as little as their readers need (see the README's data table).
   */
  projection: 'keys' | 'all' | readonly string[];
}

export const tableIndexes = {
  byReference: {
    partitionKey: 'referenceKey',
    sortKey: 'referenceSort',
    purpose: 'a complaint by its FB-YYYY-NNNNNN reference',
    // The complaint's id is in its key (`COMPLAINT#<id>`): readers then get the item.
    projection: 'keys',
  },
  byDepartmentStatus: {
    partitionKey: 'departmentStatusKey',
    sortKey: 'departmentSort',
    purpose: "a department's complaints in one status, newest first",
    // The queue's row, from the assignment item (`assignmentsIn`).
    projection: [
      'complaintId',
      'reference',
      'department',
      'role',
      'status',
      'category',
      'severity',
      'subject',
      'firstResponseDueAt',
      'resolutionDueAt',
      'nextDueAt',
    ],
  },
  byCustomer: {
    partitionKey: 'customerKey',
    sortKey: 'customerSort',
    purpose: "a customer's complaints, newest first",
    projection: ['id', 'reference'],
  },
  deliverableCustomers: {
    partitionKey: 'registryKey',
    sortKey: 'registrySort',
    purpose: 'every customer whose address takes mail (sparse), paged by email: survey fan-out',
    // A registry entry is well under 1 KB (one write unit either way) and the page returns it whole.
    projection: 'all',
  },
  byDue: {
    partitionKey: 'dueKey',
    sortKey: 'dueAt',
    purpose: 'work waiting on a clock (sparse): unconfirmed enqueues, open complaints by due time',
    // `year` names a due CAPA's partition (CAPA have a reference but no id).
    projection: ['id', 'reference', 'year'],
  },
} as const satisfies Record<string, IndexSpec>;

export type IndexName = keyof typeof tableIndexes;

/** Epoch seconds after which DynamoDB may delete an item; code never relies on it happening. */
export const ttlAttribute = 'expiresAt';
