/**
 * The client a token was issued to: `client_id` (RFC 9068, RFC 7662) or else `azp` (OpenID Connect
 * providers that put the client there); `''` when neither is a non-empty string.
 */
export function readClientId(claims: Readonly<Record<string, unknown>>): string {
  for (const value of [claims.client_id, claims.azp]) if (typeof value === 'string' && value !== '') return value;
  return '';
}

/**
 * The audiences of a token, always as an array of strings (`aud` may be a string or an array). Members of
 * another type are dropped: with the audience check disabled nothing else has looked at them.
 */
export function readAudience(claims: Readonly<Record<string, unknown>>): string[] {
  const { aud } = claims;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((value): value is string => typeof value === 'string') : [];
}
