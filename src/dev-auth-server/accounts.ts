import type { DevUser } from './types.js';

/** The user the sign-in page offers when no users are configured. */
export const DEFAULT_DEV_USERS: readonly DevUser[] = [{ id: 'demo', name: 'Demo User' }];

/** The account shape oidc-provider's `findAccount` must return. */
export interface DevAccount {
  accountId: string;
  claims(): Promise<{ sub: string; name: string }>;
}

/** Builds oidc-provider's `findAccount` over a fixed list of development users. */
export function createFindAccount(users: readonly DevUser[]) {
  const byId = new Map(users.map((user) => [user.id, user]));
  return async (_ctx: unknown, sub: string): Promise<DevAccount | undefined> => {
    const user = byId.get(sub);
    if (!user) return undefined;
    return { accountId: user.id, claims: async () => ({ sub: user.id, name: user.name }) };
  };
}

/**
 * The user someone typed on the sign-in page: an exact account id first, else an id or display
 * name compared without case and surrounding or repeated spaces, so `demo`, `Demo User` and
 * `demo user` all pick the default user. A name two users share picks neither.
 *
 * @example findDevUser(DEFAULT_DEV_USERS, 'Demo User')?.id // 'demo'
 */
export function findDevUser(users: readonly DevUser[], typed: string): DevUser | undefined {
  const exact = users.find((user) => user.id === typed.trim());
  if (exact) return exact;
  const wanted = normalize(typed);
  if (!wanted) return undefined;
  const byId = users.filter((user) => normalize(user.id) === wanted);
  const matches = byId.length ? byId : users.filter((user) => normalize(user.name) === wanted);
  return matches.length === 1 ? matches[0] : undefined;
}

function normalize(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}
