import type { AuthInfo as SdkAuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';

/**
 * The verified identity behind a request, as the MCP SDK expects it (`extra.authInfo`)
 * plus the fields a resource server usually needs.
 *
 * `token` is present for SDK compatibility but is non-enumerable: `JSON.stringify`,
 * `console.log` and loggers that walk own enumerable keys never print it.
 *
 * @example
 * ```ts
 * @Get('me')
 * @RequireScopes('profile')
 * me(@Auth() auth: AuthInfo) {
 *   return { subject: auth.subject, scopes: auth.scopes };
 * }
 * ```
 */
export interface AuthInfo extends SdkAuthInfo {
  /** The `iss` of the token (or of the authorization server that introspected it). */
  issuer: string;
  /** The `sub` claim, when the token has one (client-credentials tokens may not). */
  subject?: string;
  /** Every audience the token was issued for (`aud`, always as an array). */
  audience: string[];
  /** All claims of the token (or of the introspection response), untouched. */
  claims: Readonly<Record<string, unknown>>;
}
