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
}

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
 * - missing scopes → 403 `insufficient_scope` with every scope the operation needs (MCP step-up)
 * - bad DPoP proof → 401 `invalid_dpop_proof`; missing server nonce → 401 `use_dpop_nonce` + `DPoP-Nonce`
 *
 * The error goes in the challenge of the scheme the request used (`DPoP` for DPoP requests and proof errors,
 * RFC 9449 §7.1). Where DPoP is accepted, 401s to other requests carry a `DPoP algs="…"` challenge after
 * the `Bearer` one (RFC 9449 §7.2), in the same header; a resource requiring DPoP challenges with `DPoP`
 * only. Every challenge carries `resource_metadata` (RFC 9728 §5.1).
 */
export function bearerChallenge(error: BearerAuthError, context: ChallengeContext): BearerChallenge {
  const code = error.bearerError;
  const scope = error.requiredScopes.length > 0 ? error.requiredScopes.join(' ') : undefined;
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
