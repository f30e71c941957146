import type { BearerAuthError, McpRequestRefusedError } from './mcp-auth.errors.js';

/** An HTTP answer to a refused request: status, `WWW-Authenticate` value and JSON body. */
export interface BearerChallenge {
  status: 400 | 401 | 403;
  wwwAuthenticate: string;
  body: { error: string; error_description: string };
}

// RFC 6750 §3.1: which status goes with which error code.
const STATUS: Record<string, 400 | 401 | 403> = {
  invalid_request: 400,
  invalid_token: 401,
  insufficient_scope: 403,
};

/**
 * The one mapping from a refusal to what goes on the wire.
 *
 * - no credentials → 401, no `error` (RFC 6750 §3.1), `scope` = what the operation needs
 * - malformed header → 400 `invalid_request`
 * - bad token → 401 `invalid_token`
 * - missing scopes → 403 `insufficient_scope` with every scope the operation needs (MCP step-up)
 *
 * Every challenge carries `resource_metadata` (RFC 9728 §5.1) so clients can discover the authorization server.
 */
export function bearerChallenge(error: BearerAuthError, resourceMetadataUrl: string): BearerChallenge {
  const scope = error.requiredScopes.length > 0 ? error.requiredScopes.join(' ') : undefined;
  const params: Array<[string, string | undefined]> = [
    ['error', error.bearerError],
    ['error_description', error.bearerError ? error.description : undefined],
    ['scope', error.bearerError === 'insufficient_scope' || !error.bearerError ? scope : undefined],
    ['resource_metadata', resourceMetadataUrl],
  ];
  return {
    status: error.bearerError ? STATUS[error.bearerError] : 401,
    wwwAuthenticate: formatBearerChallenge(params),
    body: { error: error.bearerError ?? 'unauthorized', error_description: error.description },
  };
}

/** `Bearer k1="v1", k2="v2"` with every value a quoted-string; parameters without a value are left out. */
export function formatBearerChallenge(params: Array<[string, string | undefined]>): string {
  const parts = params.filter(([, value]) => value !== undefined).map(([key, value]) => `${key}=${quote(value!)}`);
  return parts.length > 0 ? `Bearer ${parts.join(', ')}` : 'Bearer';
}

/**
 * RFC 7230 quoted-string: `\` and `"` are escaped; control characters (CR/LF above all, which would
 * split the header) are dropped, as is anything outside visible ASCII and space.
 */
export function quote(value: string): string {
  return `"${value.replace(/[^\x20-\x7E]/g, '').replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/** The answer to a request refused for where it comes from: the status and a JSON-RPC error body. */
export function requestRefusal(error: McpRequestRefusedError): { status: number; body: unknown } {
  return { status: error.status, body: { jsonrpc: '2.0', error: { code: -32000, message: error.message }, id: null } };
}
