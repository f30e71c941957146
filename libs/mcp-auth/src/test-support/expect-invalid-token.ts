// Assertions shared by the library's unit tests; not shipped (package.json "files").
import assert from 'node:assert/strict';
import { BearerAuthError } from '../errors/mcp-auth.errors.js';

/**
 * Asserts that `promise` rejects with a 401 `invalid_token` carrying exactly `description`, and (when
 * `token` is given) that neither the message nor the description echoes the token. Test helper.
 */
export async function expectInvalid(
  promise: Promise<unknown>,
  description: string,
  token?: string,
): Promise<BearerAuthError> {
  const error = await promise.then(
    () => assert.fail(`expected "${description}"`),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof BearerAuthError, `not a BearerAuthError: ${String(error)}`);
  assert.equal(error.bearerError, 'invalid_token');
  assert.equal(error.description, description);
  if (token) assert.ok(!error.message.includes(token) && !error.description.includes(token));
  return error;
}
