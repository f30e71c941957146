import type { AuthInfo } from '../auth/auth-info.interface.js';

/** What {@link createAuthInfo} needs: every `AuthInfo` field, with `resource` as a URL or string. */
export interface AuthInfoInput {
  token: string;
  clientId: string;
  scopes: readonly string[];
  expiresAt?: number;
  resource: string | URL;
  issuer: string;
  subject?: string;
  audience: readonly string[];
  claims: Readonly<Record<string, unknown>>;
  /**
   * The claims object was created for this call alone (jose parses a fresh payload per verification), so it
   * is frozen in place instead of copied first: no copy on the hot path.
   */
  claimsOwned?: boolean;
  extra?: Record<string, unknown>;
}

/**
 * What a verified token grants, frozen once: the token cache keeps this (never the token, nor a URL object:
 * about a third of the memory of an `AuthInfo`), and every request presenting the token gets its own
 * `AuthInfo` from it (`authInfoFor`).
 */
export interface VerifiedToken {
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly expiresAt?: number;
  /** The protected resource, as a string (each `AuthInfo` gets its own `URL`). */
  readonly resource: string;
  readonly issuer: string;
  readonly subject?: string;
  readonly audience: readonly string[];
  /** Deep-frozen. */
  readonly claims: Readonly<Record<string, unknown>>;
}

/**
 * Freezes what a verifier found out about a token. `claims` is deep-frozen in place when the verifier created
 * it for this call alone (`claimsOwned`), else a deep-frozen copy, so nobody can alter what was verified.
 *
 * @example
 * ```ts
 * const verified = verifiedToken({ clientId, scopes, resource, issuer, audience, claims: payload, claimsOwned: true });
 * const auth = authInfoFor(token, verified);
 * ```
 */
export function verifiedToken(input: Omit<AuthInfoInput, 'token' | 'extra'>): VerifiedToken {
  return Object.freeze({
    clientId: input.clientId,
    scopes: Object.freeze([...input.scopes]),
    ...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt }),
    resource: String(input.resource),
    issuer: input.issuer,
    ...(input.subject === undefined ? {} : { subject: input.subject }),
    audience: Object.freeze([...input.audience]),
    claims: input.claimsOwned ? deepFreeze(input.claims) : frozenCopy(input.claims),
  });
}

/**
 * The `AuthInfo` of one request presenting `token`, verified as `verified`. Every verifier (JWT,
 * introspection, custom) ends here, so they all treat the token the same way:
 *
 * - `token` is a non-enumerable, read-only property: the SDK can still read `authInfo.token`, but
 *   `JSON.stringify`, `console.log`/`util.inspect` and loggers that walk enumerable keys never print it.
 * - `claims` is the deep-frozen object of `verified`, shared: handlers cannot alter what was verified.
 * - `scopes`, `audience` and `resource` are fresh; `extra` is a fresh object the application may fill.
 */
export function authInfoFor(token: string, verified: VerifiedToken): AuthInfo {
  const info = {
    clientId: verified.clientId,
    scopes: [...verified.scopes],
    ...(verified.expiresAt === undefined ? {} : { expiresAt: verified.expiresAt }),
    resource: new URL(verified.resource),
    issuer: verified.issuer,
    ...(verified.subject === undefined ? {} : { subject: verified.subject }),
    audience: [...verified.audience],
    claims: verified.claims,
    extra: {},
  } as AuthInfo;
  Object.defineProperty(info, 'token', { value: token, enumerable: false, writable: false, configurable: false });
  return info;
}

/** Builds the `AuthInfo` of a verified token in one step (`verifiedToken`, then `authInfoFor`), with `extra`. */
export function createAuthInfo(input: AuthInfoInput): AuthInfo {
  const info = authInfoFor(input.token, verifiedToken(input));
  if (input.extra !== undefined) Object.assign(info.extra!, input.extra);
  return info;
}

function frozenCopy(claims: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  let copy: Record<string, unknown>;
  try {
    copy = structuredClone(claims) as Record<string, unknown>;
  } catch {
    // A custom verifier may hand over values structuredClone refuses (functions, class instances with
    // methods); a shallow frozen copy still keeps the top level intact.
    return Object.freeze({ ...claims });
  }
  return deepFreeze(copy);
}

function deepFreeze<T>(value: T): T {
  // Iterative rather than recursive: claims come from outside the process, and deeply nested JSON must not
  // exhaust the stack. Each object is visited once.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null || Object.isFrozen(current)) continue;
    Object.freeze(current);
    for (const child of Object.values(current)) pending.push(child);
  }
  return value;
}
