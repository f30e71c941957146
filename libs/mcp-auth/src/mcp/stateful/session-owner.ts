import type { AuthInfo } from '../../auth/auth-info.interface.js';

/**
 * Who a stateful session belongs to: the issuer, subject and client of the token that opened it. Kept as
 * separate values and compared field by field: no joined string that two different principals could
 * both produce (a user whose `sub` happens to spell another client's id).
 */
export interface SessionOwner {
  readonly issuer: string;
  readonly subject: string | undefined;
  readonly clientId: string | undefined;
}

/**
 * The owner a token would give a session, or `undefined` when it identifies nobody (neither `sub` nor a
 * client id): such a token cannot own a session, since any other such token would be its owner too.
 */
export function sessionOwnerOf(auth: AuthInfo | undefined): SessionOwner | undefined {
  if (!auth) return undefined;
  const subject = auth.subject || undefined;
  const clientId = auth.clientId || undefined;
  if (subject === undefined && clientId === undefined) return undefined;
  return { issuer: auth.issuer, subject, clientId };
}

/** Same issuer, same subject, same client. */
export function isSameOwner(a: SessionOwner, b: SessionOwner): boolean {
  return a.issuer === b.issuer && a.subject === b.subject && a.clientId === b.clientId;
}

/** One string per owner for indexing (JSON of the fields: unambiguous, unlike a joined string). */
export function ownerKey(owner: SessionOwner): string {
  return JSON.stringify([owner.issuer, owner.subject ?? null, owner.clientId ?? null]);
}
