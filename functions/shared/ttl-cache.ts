/**
 * Values a warm Lambda environment keeps for a short while (configuration read on every
 * message): one read per lifetime instead of one per call, and a change shows within it.
 * Hand-written: a few lines, where a cache library would add to every bundle.
 */
import { setting } from './config.ts';

/** Seconds a warm environment keeps configuration it read; 0 reads it every time (tests). */
export const configurationCacheSetting = 'CONFIGURATION_CACHE_SECONDS';

/**
 * `clock` (milliseconds) is the runtime's own: a cache lifetime in a warm environment, not a
 * business time, so it is not passed down from a handler; tests give their own.
 */
export function cachedForAWhile<K, T>(
  load: (key: K) => Promise<T>,
  clock: () => number = Date.now,
): (key: K) => Promise<T> {
  const entries = new Map<K, { value: Promise<T>; until: number }>();
  return (key: K) => {
    const lifetimeMs = setting(configurationCacheSetting) * 1000;
    const now = clock();
    const entry = entries.get(key);
    if (entry && now < entry.until) return entry.value;
    const value = load(key);
    if (lifetimeMs > 0) {
      entries.set(key, { value, until: now + lifetimeMs });
      // A failed read is not kept: the next call tries again.
      value.catch(() => entries.delete(key));
    }
    return value;
  };
}
