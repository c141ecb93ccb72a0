/** Table items are parsed, not cast: one schema and one toItem/fromItem pair per family. */
import { describe, expect, it } from 'vitest';
import { departmentToItem, deployedConfigurationItems } from '#functions/data/configuration.ts';
import {
  complaintItem,
  customerItem,
  departmentItem,
  MalformedItem,
} from '#functions/data/items.ts';
import { indexKeys, keys } from '#functions/data/keys.ts';
import { departmentsAt } from '#functions/domain/departments.ts';

const customer = {
  email: 'li.ming@customer.example',
  market: 'domestic' as const,
  region: 'CN-GD',
  language: 'zh' as const,
  deliverable: true,
  source: 'import' as const,
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
};

describe('item families', () => {
  it('writes the key and index attributes with the value, and reads back the value alone', () => {
    const key = {
      ...keys.customer(customer.email),
      ...indexKeys.deliverableCustomer(customer.email),
    };
    const item = customerItem.toItem(key, customer);
    expect(item).toMatchObject({ pk: key.pk, sk: key.sk, registryKey: key.registryKey });
    expect(customerItem.fromItem(item)).toEqual(customer);
  });

  it('refuses a malformed item with an error naming the item and the field, not its values', () => {
    const item = { ...keys.customer(customer.email), ...customer, deliverable: 'yes' };
    expect(() => customerItem.fromItem(item)).toThrow(MalformedItem);
    expect(() => customerItem.fromItem(item)).toThrow(
      /Malformed customer item CUSTOMER#.*deliverable/s,
    );
    const complaint = { ...keys.complaint('c-1'), id: 'c-1', status: 'lost' };
    expect(() => complaintItem.fromItem(complaint)).toThrow(
      /Malformed complaint item COMPLAINT#c-1/,
    );
    // The message carries the key (an email in this family's key) but no attribute value.
    expect(() => complaintItem.fromItem({ ...complaint, subject: 'secret' })).not.toThrow(/secret/);
  });

  it('builds the deployed configuration with the same builders as the local seeding', () => {
    const { departments, network } = deployedConfigurationItems({
      departments: {
        gm: 'gm@maker.example',
        production_vp: 'production_vp@maker.example',
        qc: 'qc@maker.example',
        sales: 'sales@maker.example',
        export: 'export@maker.example',
        office: 'office@maker.example',
      },
      outlets: [],
      calendar: { holidays: ['2027-02-08'], workingWeekendDays: [] },
    });
    for (const department of departmentsAt('maker.example')) {
      expect(departments).toContainEqual(departmentToItem(department));
    }
    expect(departments.map((item) => item.sk)).toContain('CALENDAR#current');
    expect(network).toEqual([expect.objectContaining({ sk: 'NETWORK#current' })]);
    expect(() =>
      departmentItem.fromItem({ ...keys.configuration('DEPARTMENT', 'qc'), code: 'qc', email: 42 }),
    ).toThrow(/Malformed department item CONFIG DEPARTMENT#qc/);
  });
});
