/**
 * Idempotency keys without a record of their own: a key names its complaint. The complaint's
 * id is derived from the key, so the conditional put that creates the complaint is the
 * claim itself, and a retry finds the complaint (and the fingerprint of the request that
 * wrote it) at that id. A key stays bound to its complaint for good.
 */
import { createHash } from 'node:crypto';

/** Attribute on the complaint item: the SHA-256 of the validated request that created it. */
export const fingerprintAttribute = 'idempotencyFingerprint';

/** The id a key's complaint gets: a UUID (version 8, name-based) from the scope and the key. */
export function idempotentId(scope: string, key: string): string {
  const hex = createHash('sha256').update(`${scope}\u0000${key}`).digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `8${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}
