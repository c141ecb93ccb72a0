import { describe, expect, it } from 'vitest';
import { recordOf } from '#functions/domain/records.ts';

describe('recordOf', () => {
  it('has one entry per key, in the keys’ order, with each key’s value', () => {
    const record = recordOf(['b', 'a', 'c'] as const, (key) => key.toUpperCase());
    expect(record).toEqual({ b: 'B', a: 'A', c: 'C' });
    expect(Object.keys(record)).toEqual(['b', 'a', 'c']);
  });
});
