// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), printable ASCII without space, '"' or '\'.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Whether `value` is one OAuth scope token (RFC 6749 §3.3). */
export function isScopeToken(value: unknown): value is string {
  return typeof value === 'string' && SCOPE_TOKEN.test(value);
}

/**
 * The one frozen empty scope list: every "nothing required" is this object, so the refusals kept per scope list
 * (a 401 naming what to ask for) share one error and one rendered answer for it.
 */
export const NO_SCOPES: readonly string[] = Object.freeze([]);
