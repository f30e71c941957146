import { createHash } from 'node:crypto';

/**
 * The key a token is remembered under: its SHA-256, 32 one-byte characters whatever the token's length, so
 * a cache holds a small constant per entry (never the token itself, up to `maxTokenLength` characters).
 */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('binary');
}
