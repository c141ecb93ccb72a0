/** Configuration kept by a warm environment: read once per lifetime, failures never kept. */
import { afterEach, describe, expect, it } from 'vitest';
import { cachedForAWhile, configurationCacheSetting } from '#functions/shared/ttl-cache.ts';

describe('cachedForAWhile', () => {
  const previous = process.env[configurationCacheSetting];
  afterEach(() => {
    if (previous === undefined) delete process.env[configurationCacheSetting];
    else process.env[configurationCacheSetting] = previous;
  });

  it('reads once per key within its lifetime', async () => {
    process.env[configurationCacheSetting] = '60';
    const reads: string[] = [];
    const read = cachedForAWhile(async (key: string) => {
      reads.push(key);
      return `${key}-value`;
    });
    expect(await read('a')).toBe('a-value');
    expect(await read('a')).toBe('a-value');
    expect(await read('b')).toBe('b-value');
    expect(reads).toEqual(['a', 'b']);
  });

  it('reads again once its lifetime is over', async () => {
    process.env[configurationCacheSetting] = '60';
    let now = Date.parse('2026-11-28T08:00:00Z');
    let reads = 0;
    const read = cachedForAWhile(
      async () => ++reads,
      () => now,
    );
    expect(await read(undefined)).toBe(1);
    now += 59_999;
    expect(await read(undefined)).toBe(1);
    now += 1;
    expect(await read(undefined)).toBe(2);
    expect(await read(undefined)).toBe(2);
  });

  it('reads every time with a lifetime of 0', async () => {
    process.env[configurationCacheSetting] = '0';
    let reads = 0;
    const read = cachedForAWhile(async () => ++reads);
    await read(undefined);
    await read(undefined);
    expect(reads).toBe(2);
  });

  it('does not keep a failed read', async () => {
    process.env[configurationCacheSetting] = '60';
    let attempt = 0;
    const read = cachedForAWhile(async () => {
      attempt++;
      if (attempt === 1) throw new Error('table unreachable');
      return attempt;
    });
    await expect(read(undefined)).rejects.toThrow('table unreachable');
    expect(await read(undefined)).toBe(2);
    expect(await read(undefined)).toBe(2);
  });
});
