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
 * Builds the `AuthInfo` of a verified token. Every verifier (JWT, introspection, custom) goes through
 * here so they all treat the token the same way:
 *
 * - `token` is a non-enumerable, read-only property: the SDK can still read `authInfo.token`, but
 *   `JSON.stringify`, `console.log`/`util.inspect` and loggers that walk enumerable keys never print it.
 * - `claims` is a deep-frozen copy, so request handlers cannot alter what was verified, nor see later
 *   changes made by whoever produced the claims.
 * - `scopes` and `audience` are fresh arrays; `extra` is a fresh object the application may fill.
 */
export function createAuthInfo(input: AuthInfoInput): AuthInfo {
  const info = {
    clientId: input.clientId,
    scopes: [...input.scopes],
    ...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt }),
    resource: new URL(input.resource),
    issuer: input.issuer,
    ...(input.subject === undefined ? {} : { subject: input.subject }),
    audience: [...input.audience],
    claims: input.claimsOwned ? deepFreeze(input.claims) : frozenCopy(input.claims),
    extra: { ...input.extra },
  } as AuthInfo;
  Object.defineProperty(info, 'token', { value: input.token, enumerable: false, writable: false, configurable: false });
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

/** A fresh `AuthInfo` with the same content (claims stay the same frozen object): one per request. */
export function copyAuthInfo(auth: AuthInfo): AuthInfo {
  // Every AuthInfo this library builds has a resource; the SDK type only makes it optional.
  return createAuthInfo({
    ...auth,
    resource: auth.resource!,
    token: auth.token,
    claims: auth.claims,
    claimsOwned: true,
  });
}
