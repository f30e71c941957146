import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { AuthInfo } from '../../auth/auth-info.interface.js';
import { checkScopes, type ScopeRequirement } from '../../guard/scope-requirement.js';

/**
 * The handlers' own check, after the guard's: it covers transports that do not go through the guard, and keeps
 * a handler from ever running without its scopes. Same decision (`checkScopes`), so the two cannot disagree.
 */
export function assertScopes(requirement: ScopeRequirement, auth: unknown, args: unknown, what: string): void {
  const { required, missing } = checkScopes(requirement, auth as AuthInfo | undefined, args);
  if (missing.length > 0) throw new McpError(ErrorCode.InvalidRequest, `${what} needs scopes: ${required.join(' ')}`);
}
