import { describe, expect, it } from 'vitest';
import { indexKeys, keys } from '#functions/data/keys.ts';
import { formatReference, isReference } from '#functions/domain/complaint.ts';
import { countryCode, provinceCode } from '#functions/domain/regions.ts';

describe('key builders', () => {
  it('keeps a complaint and its history in one partition, the complaint first', () => {
    const complaint = keys.complaint('c1');
    const event = keys.complaintEvent('c1', '2026-11-28T10:00:00.000Z', 'routed');
    expect(event.pk).toBe(complaint.pk);
    expect([event.sk, complaint.sk].sort()).toEqual([complaint.sk, event.sk]);
  });

  it('sorts history events by time', () => {
    const early = keys.complaintEvent('c1', '2026-01-02T00:00:00.000Z', 'b');
    const late = keys.complaintEvent('c1', '2026-11-02T00:00:00.000Z', 'a');
    expect(early.sk < late.sk).toBe(true);
  });

  it('counts references per year', () => {
    expect(keys.counter('complaint-reference', 2026)).not.toEqual(
      keys.counter('complaint-reference', 2027),
    );
  });

  it('finds customers by address regardless of case', () => {
    expect(indexKeys.customer('A@B.example', 't').customerKey).toBe(
      indexKeys.customer('a@b.EXAMPLE ', 't').customerKey,
    );
  });

  it('sorts a department queue by time, then id', () => {
    const key = indexKeys.departmentStatus('qc', 'routed', '2026-11-28T10:00:00.000Z', 'c9');
    expect(key).toEqual({
      departmentStatusKey: 'DEPT#qc#routed',
      departmentSort: '2026-11-28T10:00:00.000Z#c9',
    });
  });

  it('reads the complaint back from a queue sort key, whatever row carries it', () => {
    const { departmentSort } = indexKeys.departmentStatus(
      'gm',
      'closed',
      '2026-11-28T10:00:00.000Z',
      'a1b2#c3',
    );
    expect(indexKeys.departmentSortParts(departmentSort)).toEqual({
      createdAt: '2026-11-28T10:00:00.000Z',
      id: 'a1b2#c3',
    });
    expect(indexKeys.departmentSortParts('no-separator')).toBeUndefined();
  });
});

describe('references', () => {
  it('pads to six digits and stays valid past them', () => {
    expect(formatReference(2026, 123)).toBe('FB-2026-000123');
    expect(isReference(formatReference(2026, 1_234_567))).toBe(true);
    expect(isReference('FB-2026-12')).toBe(false);
    expect(isReference('FB-2026-000123/../x')).toBe(false);
  });
});

describe('regions', () => {
  it.each([
    ['广东', 'CN-GD'],
    ['广东省', 'CN-GD'],
    ['Guangdong', 'CN-GD'],
    ['gd', 'CN-GD'],
    ['CN-GD', 'CN-GD'],
    ['上海市', 'CN-SH'],
    ['新疆维吾尔自治区', 'CN-XJ'],
  ])('reads the province %s as %s', (input, code) => {
    expect(provinceCode(input)).toBe(code);
  });

  it('knows countries by ISO code and by English or Chinese name', () => {
    expect(countryCode('de')).toBe('DE');
    expect(countryCode('Germany')).toBe('DE');
    expect(countryCode(' germany ')).toBe('DE');
    expect(countryCode('德国')).toBe('DE');
    expect(countryCode('United States')).toBe('US');
    expect(countryCode('UK')).toBe('GB');
    expect(countryCode('Atlantis')).toBeUndefined();
    expect(countryCode('XX')).toBeUndefined();
    expect(provinceCode('Bavaria')).toBeUndefined();
  });
});
