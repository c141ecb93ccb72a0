/**
 * Untrusted input as plain data. Keys that name an object's prototype machinery never become
 * properties, and nesting is bounded so that no walk over a body can overflow the stack.
 */

const prototypeKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** `__proto__`, `constructor` and `prototype`: dropped wherever input becomes an object. */
export function isPrototypeKey(key: string): boolean {
  return prototypeKeys.has(key);
}

/** A record with no prototype, so no key read from it can be inherited. */
export function emptyRecord(): Record<string, unknown> {
  return Object.create(null);
}

/** Deeper than any contract (they need three levels); deeper bodies are refused. */
export const maxNestingDepth = 16;

/**
 * Whether `value` nests objects or arrays more than `limit` levels deep (a top-level object
 * is level 1). Iterative, with an explicit stack: it must not overflow on the very input
 * it exists to refuse, and it stops at the first level past the limit.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    if (entry.value === null || typeof entry.value !== 'object') continue;
    const depth = entry.depth + 1;
    if (depth > limit) return true;
    for (const inner of Object.values(entry.value)) stack.push({ value: inner, depth });
  }
  return false;
}
