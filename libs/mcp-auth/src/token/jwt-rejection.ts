import { BearerAuthError, sharedRefusal } from '../errors/mcp-auth.errors.js';

/**
 * Why a JWT access token was refused: a fixed, client-safe sentence (nothing from the token), and whether the
 * refusal is definitive (no later request can turn it around for the same token string, so it may be
 * remembered) or not (unknown keys and unavailable JWKS: rotations and outages; `nbf`/`iat`: time fixes them).
 *
 * Each one owns one `BearerAuthError`, thrown for every token refused for that reason: refusing a token
 * allocates nothing and captures no stack, which keeps a flood of forgeries cheap to answer.
 */
export class JwtRejection {
  #error: BearerAuthError | undefined;

  constructor(
    readonly description: string,
    readonly definitive: boolean,
  ) {}

  /** The `invalid_token` error for this rejection (its `cause` is this rejection: no token data). */
  get error(): BearerAuthError {
    this.#error ??= sharedRefusal(BearerAuthError.invalidToken(this.description, this));
    return this.#error;
  }
}

const definitive = (description: string) => new JwtRejection(description, true);
const passing = (description: string) => new JwtRejection(description, false);

/** Every reason the JWT verifier refuses a token for. */
export const JWT_REJECTIONS = {
  malformed: definitive('The access token is malformed'),
  algorithmNotAllowed: definitive('The access token signing algorithm is not allowed'),
  badSignature: definitive('The access token signature is invalid'),
  unknownKey: passing('The access token was signed with an unknown key'),
  keysUnavailable: passing('The access token could not be verified: signing keys are unavailable'),
  /** The key found for the token cannot serve its algorithm (a key-set or resolver problem). */
  unusableKey: passing('The access token is invalid'),
  wrongType: definitive('The access token type is not at+jwt'),
  untrustedIssuer: definitive('The access token issuer is not trusted'),
  /** Not a JWT (or one without `iss`), and the resource has no introspection or custom verifier for it. */
  notFromTrustedIssuer: definitive('The access token is not a JWT from a trusted issuer'),
  noAudience: definitive('The access token has no audience'),
  wrongAudience: definitive('The access token audience is not this resource'),
  noExpiry: definitive('The access token has no expiry'),
  invalidExpiry: definitive('The access token expiry is invalid'),
  expired: definitive('The access token expired'),
  notYetValid: passing('The access token is not valid yet'),
  invalidIssueTime: passing('The access token issue time is invalid'),
  issuedInFuture: passing('The access token was issued in the future'),
} as const;

/**
 * Whether `error` is a definitive refusal of a JWT (see {@link JwtRejection}); only those are remembered
 * per token.
 */
export function isDefinitiveRejection(error: BearerAuthError): boolean {
  return error.cause instanceof JwtRejection && error.cause.definitive;
}
