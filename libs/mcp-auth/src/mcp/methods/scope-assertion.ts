import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { AuthInfo } from '../../auth/auth-info.interface.js';
import { takeValidatedArguments } from '../../auth/request-grants.js';
import { checkScopes, type ScopeRequirement } from '../../guard/scope-requirement.js';

/**
 * The handlers' own check, after the guard's: it covers transports that do not go through the guard, and keeps
 * a handler from ever running without its scopes. Same decision (`checkScopes`), so the two cannot disagree.
 */
export function assertScopes(requirement: ScopeRequirement, auth: unknown, args: unknown, what: string): void {
  let check: ReturnType<typeof checkScopes>;
  try {
    check = checkScopes(requirement, auth as AuthInfo | undefined, args);
  } catch {
    // A scope function that throws (an application bug, logged by the guard) never lets the handler run.
    throw new McpError(ErrorCode.InvalidRequest, `${what}: its scope requirement could not be evaluated`);
  }
  if (check.missing.length > 0) {
    throw new McpError(ErrorCode.InvalidRequest, `${what} needs scopes: ${check.required.join(' ')}`);
  }
}

/**
 * The arguments of a tool or prompt call, validated once: by the guard when a scope function needed them (kept
 * on the request's `AuthInfo`), otherwise here. The fixed scopes are checked before, the computed ones after.
 */
export async function checkedArguments<T extends ScopeRequirement>(
  requirement: T,
  extra: { authInfo?: unknown; requestId: unknown },
  args: unknown,
  validate: (args: unknown) => Promise<unknown>,
  what: string,
): Promise<unknown> {
  assertScopes(requirement, extra.authInfo, undefined, what);
  const early = takeValidatedArguments(extra.authInfo as AuthInfo | undefined, extra.requestId);
  const validated = early ? early.value : await validate(args);
  if (requirement.computedScopes) assertScopes(requirement, extra.authInfo, validated, what);
  return validated;
}
