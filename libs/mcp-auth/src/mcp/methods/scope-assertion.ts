import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { AuthInfo } from '../../auth/auth-info.interface.js';
import { takeValidatedArguments } from '../../auth/request-grants.js';
import { checkScopes, type ScopeRequirement } from '../../guard/scope-requirement.js';
import type { RegisteredPrompt, RegisteredTool } from '../primitives/registered-primitive.interface.js';

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
 * on the request's `AuthInfo`), otherwise here against the primitive's schema (invalid → invalid-params). The
 * fixed scopes are checked before, the computed ones after.
 */
export async function checkedArguments(
  primitive: RegisteredTool | RegisteredPrompt,
  extra: { authInfo?: unknown; requestId: unknown },
  args: unknown,
): Promise<unknown> {
  const what = `${primitive.kind === 'tool' ? 'Tool' : 'Prompt'} ${primitive.name}`;
  assertScopes(primitive, extra.authInfo, undefined, what);
  const early = takeValidatedArguments(extra.authInfo as AuthInfo | undefined, extra.requestId, primitive);
  const validated = early ? early.value : await validArguments(primitive, args);
  if (primitive.computedScopes) assertScopes(primitive, extra.authInfo, validated, what);
  return validated;
}

async function validArguments(primitive: RegisteredTool | RegisteredPrompt, args: unknown): Promise<unknown> {
  const validate = primitive.kind === 'tool' ? primitive.input : primitive.args;
  if (!validate) return args ?? {};
  const checked = await validate(args ?? {});
  if (!checked.ok) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `Invalid arguments for ${primitive.kind} ${primitive.name}: ${checked.message}`,
    );
  }
  return checked.value;
}
