import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import { resolveScopeHierarchy } from './scope-hierarchy.js';

const sorted = (scopes: ReadonlySet<string>) => [...scopes].sort();

describe('resolveScopeHierarchy', () => {
  it('closes a map transitively and keeps the granted scopes', () => {
    const expand = resolveScopeHierarchy({ admin: ['write'], write: ['read'], other: [] }, 'r')!;
    assert.deepEqual(sorted(expand(['admin'])), ['admin', 'read', 'write']);
    assert.deepEqual(sorted(expand(['write', 'x'])), ['read', 'write', 'x']);
    assert.deepEqual(sorted(expand(['read'])), ['read']);
  });

  it('refuses a cycle at boot, naming it', () => {
    assert.throws(
      () => resolveScopeHierarchy({ a: ['b'], b: ['c'], c: ['a'] }, '"https://rs/mcp"'),
      (error: unknown) => error instanceof McpAuthConfigurationError && /cycle: a ⊇ b ⊇ c ⊇ a/.test(error.message),
    );
    assert.throws(() => resolveScopeHierarchy({ a: ['a'] }, 'r'), /cycle/);
  });

  it('refuses what is not a scope', () => {
    assert.throws(() => resolveScopeHierarchy({ a: ['b c'] }, 'r'), McpAuthConfigurationError);
    assert.throws(() => resolveScopeHierarchy({ a: 'b' as never }, 'r'), McpAuthConfigurationError);
  });

  it('follows a function transitively, safe from cycles', () => {
    const implies = (scope: string) => (scope === 'a' ? ['b'] : scope === 'b' ? ['a', 'c'] : []);
    const expand = resolveScopeHierarchy(implies, 'r')!;
    assert.deepEqual(sorted(expand(['a'])), ['a', 'b', 'c']);
    assert.throws(() => resolveScopeHierarchy(() => ['not a scope'], 'r')!(['a']), McpAuthConfigurationError);
  });

  it('is absent without an option', () => {
    assert.equal(resolveScopeHierarchy(undefined, 'r'), undefined);
  });
});
