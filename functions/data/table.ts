/**
 * The single table's shape: key attributes and secondary indexes. The CDK stack and the
 * local host create the table from this; `keys.ts` builds every key value stored in it.
 */
export const tableKeys = { partitionKey: 'pk', sortKey: 'sk' } as const;

export interface IndexSpec {
  partitionKey: string;
  sortKey: string;
  purpose: string;
}

export const tableIndexes = {
  byReference: {
    partitionKey: 'referenceKey',
    sortKey: 'referenceSort',
    purpose: 'a complaint by its FB-YYYY-NNNNNN reference',
  },
  byDepartmentStatus: {
    partitionKey: 'departmentStatusKey',
    sortKey: 'departmentSort',
    purpose: "a department's complaints in one status, newest first",
  },
  byCustomer: {
    partitionKey: 'customerKey',
    sortKey: 'customerSort',
    purpose: "a customer's complaints, newest first",
  },
  deliverableCustomers: {
    partitionKey: 'registryKey',
    sortKey: 'registrySort',
    purpose: 'every customer whose address takes mail (sparse), paged by email: survey fan-out',
  },
  byDue: {
    partitionKey: 'dueKey',
    sortKey: 'dueAt',
    purpose: 'work waiting on a clock (sparse): unconfirmed enqueues, open complaints by due time',
  },
} as const satisfies Record<string, IndexSpec>;

export type IndexName = keyof typeof tableIndexes;

/** Epoch seconds after which DynamoDB may delete an item; code never relies on it happening. */
export const ttlAttribute = 'expiresAt';
