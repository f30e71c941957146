import type { BearerAuthError, McpRequestRefusedError } from './mcp-auth.errors.js';

/** An HTTP answer to a refused request: status, `WWW-Authenticate` value, JSON body and any other header. */
export interface BearerChallenge {
  status: 400 | 401 | 403;
  wwwAuthenticate: string;
  body: { error: string; error_description: string };
  /** `DPoP-Nonce` for `use_dpop_nonce`. */
  headers: Record<string, string>;
}

/** What the challenge depends on besides the refusal: the resource and how the request authenticated. */
export interface ChallengeContext {
  /** The resource's RFC 9728 metadata URL (`resource_metadata`). */
  metadataUrl: string;
  /** Proof algorithms of the `DPoP` challenge; `undefined` when DPoP is not accepted. */
  dpopAlgorithms?: readonly string[];
  /** The resource accepts DPoP-bound tokens only (no `Bearer` challenge). */
  dpopRequired?: boolean;
  /** The scheme of the refused request's credentials. */
  scheme?: 'bearer' | 'dpop';
  /** For `insufficient_scope`: what the token was granted (see `challengeScopes`). */
  grantedScopes?: readonly string[];
  /** The request's `MCP-Protocol-Version`, when it is an MCP request. */
  protocolVersion?: string;
  /** What an `insufficient_scope` challenge names (the `challengeScopes` option). Default `by-protocol-version`. */
  challengeScopes?: ChallengeScopes;
  /** The resource's `scopes_supported`: granted scopes outside it are not repeated in a challenge. */
  scopesSupported?: readonly string[];
}

/**
 * What a 403 `insufficient_scope` challenge names in `scope`:
 * - `required`: only what the operation needs (RFC 6750 §3.1; MCP 2026-07-28, SEP-2350, where clients add
 *   what they already hold);
 * - `required-and-granted`: that plus the token's relevant granted scopes (the "recommended approach" of MCP
 *   2025-11-25's scope challenge handling, so that clients which replace their scopes on a step-up, as SDK
 *   1.x clients do, keep what the user already granted);
 * - `by-protocol-version`: `required-and-granted` for MCP requests up to 2025-11-25, `required` otherwise.
 */
export type ChallengeScopes = 'by-protocol-version' | 'required' | 'required-and-granted';

/** The last MCP revision whose clients need the granted scopes repeated in a step-up challenge. */
const LAST_REVISION_WITHOUT_ACCUMULATION = '2025-11-25';

// RFC 6750 §3.1 and RFC 9449 §7.1: which status goes with which error code.
const STATUS: Record<string, 400 | 401 | 403> = {
  invalid_request: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  invalid_dpop_proof: 401,
  use_dpop_nonce: 401,
};

/**
 * The one mapping from a refusal to what goes on the wire.
 *
 * - no credentials → 401, no `error` (RFC 6750 §3.1), `scope` = what the operation needs
 * - malformed header → 400 `invalid_request`
 * - bad token → 401 `invalid_token`
 * - missing scopes → 403 `insufficient_scope` with every scope the operation needs (MCP step-up), and, for
 *   clients of MCP revisions up to 2025-11-25, the relevant scopes already granted (`ChallengeScopes`)
 * - bad DPoP proof → 401 `invalid_dpop_proof`; missing server nonce → 401 `use_dpop_nonce` + `DPoP-Nonce`
 *
 * The error goes in the challenge of the scheme the request used (`DPoP` for DPoP requests and proof errors,
 * RFC 9449 §7.1). Where DPoP is accepted, 401s to other requests carry a `DPoP algs="…"` challenge after
 * the `Bearer` one (RFC 9449 §7.2), in the same header; a resource requiring DPoP challenges with `DPoP`
 * only. Every challenge carries `resource_metadata` (RFC 9728 §5.1).
 */
export function bearerChallenge(error: BearerAuthError, context: ChallengeContext): BearerChallenge {
  const code = error.bearerError;
  const scopes = code === 'insufficient_scope' ? stepUpScopes(error.requiredScopes, context) : error.requiredScopes;
  const scope = scopes.length > 0 ? scopes.join(' ') : undefined;
  const params: Array<[string, string | undefined]> = [
    ['error', code],
    ['error_description', code ? error.description : undefined],
    ['scope', code === 'insufficient_scope' || !code ? scope : undefined],
    ['resource_metadata', context.metadataUrl],
  ];
  const status = code ? STATUS[code] : 401;
  const algs: Array<[string, string | undefined]> = [['algs', context.dpopAlgorithms?.join(' ')]];
  const dpopScheme =
    context.dpopAlgorithms !== undefined &&
    (code === 'invalid_dpop_proof' || code === 'use_dpop_nonce' || context.scheme === 'dpop' || context.dpopRequired);
  let wwwAuthenticate: string;
  if (dpopScheme) wwwAuthenticate = formatChallenge('DPoP', [...params, ...algs]);
  else {
    wwwAuthenticate = formatChallenge('Bearer', params);
    if (status === 401 && context.dpopAlgorithms !== undefined) wwwAuthenticate += `, ${formatChallenge('DPoP', algs)}`;
  }
  return {
    status,
    wwwAuthenticate,
    body: { error: code ?? 'unauthorized', error_description: error.description },
    headers: error.dpopNonce === undefined ? {} : { 'DPoP-Nonce': error.dpopNonce },
  };
}

/** The scopes a step-up challenge names: what is needed, then (by the mode) the relevant granted ones. */
function stepUpScopes(required: readonly string[], context: ChallengeContext): readonly string[] {
  const mode = context.challengeScopes ?? 'by-protocol-version';
  const keepGranted =
    mode === 'required-and-granted' ||
    (mode === 'by-protocol-version' &&
      context.protocolVersion !== undefined &&
      context.protocolVersion <= LAST_REVISION_WITHOUT_ACCUMULATION);
  if (!keepGranted || !context.grantedScopes?.length) return required;
  const supported = context.scopesSupported ?? [];
  const granted = context.grantedScopes.filter(
    // Never ask for offline_access, nor repeat what this resource does not know (other APIs' scopes).
    (scope) => scope !== 'offline_access' && (supported.length === 0 || supported.includes(scope)),
  );
  return [...new Set([...required, ...granted])];
}

/** `Scheme k1="v1", k2="v2"` with every value a quoted-string; parameters without a value are left out. */
export function formatChallenge(scheme: string, params: Array<[string, string | undefined]>): string {
  const parts = params.filter(([, value]) => value !== undefined).map(([key, value]) => `${key}=${quote(value!)}`);
  return parts.length > 0 ? `${scheme} ${parts.join(', ')}` : scheme;
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
