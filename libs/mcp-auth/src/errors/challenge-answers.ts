import { type JsonAnswer, jsonAnswer } from '../http/json-answer.js';
import { bearerChallenge, type ChallengeContext } from './challenge.js';
import type { BearerAuthError } from './mcp-auth.errors.js';

/** A refusal as it goes on the wire: JSON that no cache stores. Frozen: answers are shared (`ChallengeAnswers`). */
export function refusalAnswer(status: number, body: unknown, headers: Record<string, string>): JsonAnswer {
  const answer = jsonAnswer(
    status,
    body,
    { ...headers, 'Cache-Control': 'no-store' },
    'application/json; charset=utf-8',
  );
  Object.freeze(answer.headers);
  return Object.freeze(answer);
}

/** The answer to a `BearerAuthError`: `bearerChallenge` (the one mapping) as status, headers and JSON body. */
export function challengeAnswer(error: BearerAuthError, context: ChallengeContext): JsonAnswer {
  const challenge = bearerChallenge(error, context);
  return refusalAnswer(challenge.status, challenge.body, {
    ...challenge.headers,
    'WWW-Authenticate': challenge.wwwAuthenticate,
  });
}

type Scheme = ChallengeContext['scheme'];

/**
 * Answers rendered once and reused, for refusals that are the same every time: a frozen `BearerAuthError`
 * (`sharedRefusal`: the missing-token error of a route, each reason a JWT is refused for) whose answer depends
 * on nothing but itself, the resource and the scheme the request used. That is every code but
 * `insufficient_scope`, whose challenge also names the token's granted scopes and depends on the client's MCP
 * revision. A request without a token, or a flood of forgeries, then formats no challenge and serialises no
 * body. Memory: one answer per (resource, shared error, scheme), a few dozen at most.
 */
export class ChallengeAnswers {
  private readonly byResource = new Map<object, WeakMap<BearerAuthError, Map<Scheme, JsonAnswer>>>();

  /** The answer remembered for `error` on `resource` with `scheme`, if any. */
  remembered(error: BearerAuthError, resource: object, scheme: Scheme): JsonAnswer | undefined {
    return this.byResource.get(resource)?.get(error)?.get(scheme);
  }

  /** Remembers `answer` when `error` answers the same way every time (see the class); no-op otherwise. */
  remember(error: BearerAuthError, resource: object, scheme: Scheme, answer: JsonAnswer): void {
    if (!Object.isFrozen(error) || error.bearerError === 'insufficient_scope') return;
    let byError = this.byResource.get(resource);
    if (byError === undefined) {
      byError = new WeakMap();
      // Bounded: resources are the configured ones.
      this.byResource.set(resource, byError);
    }
    let byScheme = byError.get(error);
    if (byScheme === undefined) {
      byScheme = new Map();
      byError.set(error, byScheme);
    }
    byScheme.set(scheme, answer);
  }
}
