import type { DevUser } from './types.js';

/** The user the login page offers when no users are configured. */
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
