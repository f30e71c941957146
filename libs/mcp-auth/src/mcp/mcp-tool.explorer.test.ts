import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, describe, it, mock } from 'node:test';
import { Injectable, Logger, Scope } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { McpTool } from '../decorators/mcp-tool.decorator.js';
import { RequireScopes } from '../decorators/require-scopes.decorator.js';
import { ToolArgs } from '../decorators/tool-params.decorator.js';
import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import { McpToolExplorer } from './mcp-tool.explorer.js';
import { McpToolRegistry } from './mcp-tool.registry.js';

@Injectable()
class Greeter {
  greet(name: string): string {
    return `hello ${name}`;
  }
}

@Injectable()
@RequireScopes('notes:read')
class NotesTools {
  constructor(private readonly greeter: Greeter) {}

  @McpTool({ name: 'greet', description: 'Greets', input: { name: z.string() } })
  @RequireScopes('notes:write', 'notes:read')
  greet(@ToolArgs('name') name: string): string {
    return this.greeter.greet(name);
  }

  @McpTool({ name: 'plain' })
  plain(): string {
    return 'plain';
  }

  notATool(): void {}
}

@Injectable({ scope: Scope.REQUEST })
class RequestScopedTools {
  @McpTool({ name: 'per_request' })
  perRequest(): string {
    return 'never registered';
  }
}

@Injectable()
class DuplicateTools {
  @McpTool({ name: 'greet' })
  again(): string {
    return 'duplicate';
  }
}

async function explore(providers: unknown[]): Promise<McpToolRegistry> {
  const module = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [McpToolExplorer, McpToolRegistry, Greeter, ...(providers as never[])],
  }).compile();
  await module.init();
  return module.get(McpToolRegistry);
}

describe('McpToolExplorer', () => {
  afterEach(() => mock.restoreAll());

  it('registers decorated methods with class and method scopes merged, and runs them on the DI instance', async () => {
    const registry = await explore([NotesTools]);
    assert.deepEqual(
      registry
        .all()
        .map((tool) => tool.name)
        .sort(),
      ['greet', 'plain'],
    );
    const greet = registry.get('greet')!;
    assert.deepEqual([...greet.requiredScopes].sort(), ['notes:read', 'notes:write']);
    assert.deepEqual(registry.get('plain')!.requiredScopes, ['notes:read']);
    assert.equal(greet.source, 'NotesTools.greet');
    assert.deepEqual(Object.keys(greet.listing.inputSchema.properties ?? {}), ['name']);
    assert.equal(await greet.invoke({ name: 'Ada' }, {} as never), 'hello Ada');
  });

  it('skips aliases (no double registration)', async () => {
    const registry = await explore([NotesTools, { provide: 'NOTES_ALIAS', useExisting: NotesTools }]);
    assert.equal(registry.all().length, 2);
  });

  it('warns about tools on request-scoped providers instead of crashing, and does not register them', async () => {
    const warn = mock.method(Logger.prototype, 'warn', () => undefined);
    const registry = await explore([NotesTools, RequestScopedTools]);
    assert.equal(registry.get('per_request'), undefined);
    assert.equal(warn.mock.callCount(), 1);
    assert.match(String(warn.mock.calls[0].arguments[0]), /per_request.*RequestScopedTools.*request-scoped/);
  });

  it('fails the boot on a duplicate tool name, naming both methods', async () => {
    await assert.rejects(explore([NotesTools, DuplicateTools]), (error: unknown) => {
      assert.ok(error instanceof McpAuthConfigurationError);
      assert.match(error.message, /"greet".*NotesTools\.greet.*DuplicateTools\.again/);
      return true;
    });
  });
});

describe('McpToolRegistry.scopesForMessages', () => {
  it('collects the scopes of every tool a message or batch calls, and nothing else', async () => {
    const registry = await explore([NotesTools]);
    const call = (name: string) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name } });
    assert.deepEqual([...registry.scopesForMessages(call('greet'))].sort(), ['notes:read', 'notes:write']);
    assert.deepEqual(registry.scopesForMessages(call('unknown')), []);
    assert.deepEqual(registry.scopesForMessages({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), []);
    assert.deepEqual([...registry.scopesForMessages([call('plain'), call('greet')])].sort(), [
      'notes:read',
      'notes:write',
    ]);
    assert.deepEqual(registry.scopesForMessages('garbage'), []);
    assert.deepEqual(registry.scopesForMessages(null), []);
  });
});

describe('@McpTool', () => {
  it('refuses invalid names at decoration time', () => {
    assert.throws(() => McpTool({ name: 'has spaces' }), McpAuthConfigurationError);
    assert.throws(() => McpTool({ name: '' }), McpAuthConfigurationError);
  });

  it('does not mutate or keep a live reference to its options', () => {
    const options = { name: 'frozen_copy', description: 'before' };
    class Holder {
      @McpTool(options)
      method(): void {}
    }
    options.description = 'after';
    const stored = Reflect.getMetadata('nest-mcp-auth:mcp-tool', Holder.prototype.method);
    assert.equal(stored.description, 'before');
    assert.ok(Object.isFrozen(stored));
  });
});
