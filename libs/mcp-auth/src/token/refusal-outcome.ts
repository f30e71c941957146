import { BearerAuthError } from '../errors/mcp-auth.errors.js';

/**
 * A synchronous outcome of the token path: what was verified, or the refusal, returned rather than thrown. A
 * refused token used to be thrown four times between the signature check and the guard, each `throw` costing
 * 2-5 µs in the CPU profile (V8 records where each one happened); returning it saves ~3% of the CPU time of
 * refusing a forgery (BENCHMARKS.md). The guard throws the refusal once, to Nest; promises on the path still
 * reject with it.
 */
export type OrRefusal<T> = T | BearerAuthError;

/** The value, or the refusal thrown: for callers that keep throwing, and inside promise chains. */
export function valueOrThrow<T>(outcome: OrRefusal<T>): T {
  if (outcome instanceof BearerAuthError) throw outcome;
  return outcome;
}
