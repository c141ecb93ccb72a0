/**
 * A record with one entry per key. `Object.fromEntries` cannot know that every key of a
 * closed list is present, so its result is typed here, once, instead of cast at each use.
 */
export function recordOf<K extends string, V>(
  keys: readonly K[],
  value: (key: K) => V,
): Record<K, V> {
  // TypeScript cannot type an object filled key by key: it holds every key once the loop ends.
  const record = {} as Record<K, V>;
  for (const key of keys) record[key] = value(key);
  return record;
}
