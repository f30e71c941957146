import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthInfo } from '../../auth/auth-info.interface.js';
import { McpPrimitiveRegistry } from './mcp-primitive.registry.js';
import type { RegisteredPrimitive } from './registered-primitive.interface.js';
import { UriTemplateMatcher } from './uri-template.matcher.js';

const invoke = async () => 'unused';

/** A registry holding one primitive of each kind (built by hand: the explorer has its own tests). */
function registry(): McpPrimitiveRegistry {
  const registry = new McpPrimitiveRegistry();
  const primitives: RegisteredPrimitive[] = [
    {
      kind: 'tool',
      name: 'write',
      source: 'T.write',
      requiredScopes: ['notes:write'],
      invoke,
      listing: { name: 'write', inputSchema: { type: 'object' } },
    },
    {
      kind: 'tool',
      name: 'open',
      source: 'T.open',
      requiredScopes: [],
      invoke,
      listing: { name: 'open', inputSchema: { type: 'object' } },
    },
    {
      kind: 'resource',
      name: 'secret',
      uri: 'notes://secret',
      source: 'T.secret',
      requiredScopes: ['notes:admin'],
      invoke,
      listing: { uri: 'notes://secret', name: 'secret' },
    },
    {
      kind: 'resourceTemplate',
      name: 'note',
      matcher: UriTemplateMatcher.compile('notes://{id}'),
      source: 'T.note',
      requiredScopes: ['notes:read'],
      invoke,
      listing: { uriTemplate: 'notes://{id}', name: 'note' },
      completions: new Map(),
    },
    {
      kind: 'prompt',
      name: 'summarise',
      source: 'T.summarise',
      requiredScopes: ['prompts'],
      invoke,
      listing: { name: 'summarise', arguments: [{ name: 'topic' }] },
      completions: new Map(),
    },
  ];
  for (const primitive of primitives) registry.register(primitive);
  return registry;
}

const message = (method: string, params: unknown) => ({ jsonrpc: '2.0', id: 1, method, params });
const auth = (...scopes: string[]) => ({ scopes }) as unknown as AuthInfo;

describe('McpPrimitiveRegistry.scopesForMessages', () => {
  const primitives = registry();
  // Without scope functions the answer is synchronous.
  const scopes = (body: unknown) => [...(primitives.scopesForMessages(body) as readonly string[])].sort();

  it('names the scopes of the primitive each method targets', () => {
    assert.deepEqual(scopes(message('tools/call', { name: 'write' })), ['notes:write']);
    assert.deepEqual(scopes(message('prompts/get', { name: 'summarise' })), ['prompts']);
    for (const method of ['resources/read', 'resources/subscribe']) {
      assert.deepEqual(scopes(message(method, { uri: 'notes://secret' })), ['notes:admin'], method);
      assert.deepEqual(scopes(message(method, { uri: 'notes://42' })), ['notes:read'], `${method} via the template`);
    }
    assert.deepEqual(scopes(message('completion/complete', { ref: { type: 'ref/prompt', name: 'summarise' } })), [
      'prompts',
    ]);
    assert.deepEqual(
      scopes(
        message('completion/complete', {
          ref: { type: 'ref/resource', uri: 'notes://{id}' },
          argument: { name: 'id' },
        }),
      ),
      ['notes:read'],
    );
  });

  it('needs nothing for lists, unsubscribing, unknown targets and garbage', () => {
    assert.deepEqual(scopes(message('tools/list', {})), []);
    assert.deepEqual(scopes(message('resources/unsubscribe', { uri: 'notes://secret' })), []);
    assert.deepEqual(scopes(message('tools/call', { name: 'unknown' })), []);
    assert.deepEqual(scopes(message('resources/read', { uri: 'other://1' })), []);
    assert.deepEqual(scopes(message('resources/read', { uri: 42 })), []);
    assert.deepEqual(scopes(message('completion/complete', { ref: 'x' })), []);
    assert.deepEqual(scopes(message('tools/call', null)), []);
    assert.deepEqual(scopes('garbage'), []);
    assert.deepEqual(scopes(null), []);
  });

  it('unites the scopes of a batch', () => {
    const batch = [message('tools/call', { name: 'write' }), message('resources/read', { uri: 'notes://1' })];
    assert.deepEqual(scopes(batch), ['notes:read', 'notes:write']);
  });
});

describe('McpPrimitiveRegistry lists', () => {
  const primitives = registry();

  it('lists everything unless hiding, then only what the token may use', () => {
    assert.deepEqual(
      primitives.list('tool', auth(), false).map((tool) => tool.name),
      ['write', 'open'],
    );
    assert.deepEqual(
      primitives.list('tool', auth(), true).map((tool) => tool.name),
      ['open'],
    );
    assert.deepEqual(
      primitives.list('tool', auth('notes:write'), true).map((tool) => tool.name),
      ['write', 'open'],
    );
    assert.deepEqual(primitives.list('resource', auth('notes:read'), true), []);
    assert.deepEqual(
      primitives.list('resourceTemplate', auth('notes:read'), true).map((each) => each.name),
      ['note'],
    );
    assert.deepEqual(primitives.list('prompt', undefined, true), []);
  });

  it('resolves a URI to its fixed resource first, then to the first matching template', () => {
    assert.equal(primitives.resolveResource('notes://secret')?.primitive.name, 'secret');
    assert.deepEqual(primitives.resolveResource('notes://42'), {
      primitive: primitives.template('note'),
      variables: { id: '42' },
    });
    assert.equal(primitives.resolveResource('notes://a/b'), undefined);
  });
});
