import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, describe, it, mock } from 'node:test';
import { Injectable, Logger, Scope } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { McpCompletion } from '../../decorators/mcp-completion.decorator.js';
import { McpArgs } from '../../decorators/mcp-params.decorator.js';
import { McpPrompt } from '../../decorators/mcp-prompt.decorator.js';
import { McpResourceTemplate } from '../../decorators/mcp-resource-template.decorator.js';
import { McpResource } from '../../decorators/mcp-resource.decorator.js';
import { McpTool } from '../../decorators/mcp-tool.decorator.js';
import { RequireScopes } from '../../decorators/require-scopes.decorator.js';
import { McpAuthConfigurationError } from '../../errors/mcp-auth.errors.js';
import { JsonSchemaValidators } from './json-schema.validators.js';
import { McpPrimitiveExplorer } from './mcp-primitive.explorer.js';
import { McpPrimitiveRegistry } from './mcp-primitive.registry.js';

@Injectable()
class Greeter {
  greet(name: string): string {
    return `hello ${name}`;
  }
}

@Injectable()
@RequireScopes('notes:read')
class NotesPrimitives {
  constructor(private readonly greeter: Greeter) {}

  @McpTool({ name: 'greet', description: 'Greets', input: { name: z.string() } })
  @RequireScopes('notes:write', 'notes:read')
  greet(@McpArgs('name') name: string): string {
    return this.greeter.greet(name);
  }

  @McpTool({ name: 'plain' })
  plain(): string {
    return 'plain';
  }

  @McpResource({ uri: 'notes://readme', name: 'readme' })
  readme(): string {
    return 'read me';
  }

  @McpResourceTemplate({ uriTemplate: 'notes://{id}', name: 'note' })
  @RequireScopes('notes:admin')
  note(@McpArgs('id') id: string): string {
    return `note ${id}`;
  }

  @McpPrompt({ name: 'summarise', args: { topic: z.string().describe('What about'), tone: z.string().optional() } })
  summarise(@McpArgs('topic') topic: string): string {
    return `summarise ${topic}`;
  }

  @McpCompletion({ prompt: 'summarise', argument: 'topic' })
  @RequireScopes('completions')
  completeTopic(value: string): string[] {
    return ['travel', 'tea'].filter((topic) => topic.startsWith(value));
  }

  notAPrimitive(): void {}
}

@Injectable({ scope: Scope.REQUEST })
class RequestScopedPrimitives {
  @McpTool({ name: 'per_request' })
  perRequest(): string {
    return 'never registered';
  }
}

@Injectable()
class DuplicateToolName {
  @McpTool({ name: 'greet' })
  again(): string {
    return 'duplicate';
  }
}

@Injectable()
class DuplicateResourceUri {
  @McpResource({ uri: 'notes://readme', name: 'another_readme' })
  again(): string {
    return 'duplicate';
  }
}

@Injectable()
class DuplicateTemplateShape {
  @McpResourceTemplate({ uriTemplate: 'notes://{noteId}', name: 'same_shape' })
  again(): string {
    return 'duplicate';
  }
}

@Injectable()
class DuplicatePromptName {
  @McpPrompt({ name: 'summarise' })
  again(): string {
    return 'duplicate';
  }
}

@Injectable()
class CompletionOfNothing {
  @McpCompletion({ prompt: 'no_such_prompt', argument: 'x' })
  complete(): string[] {
    return [];
  }
}

@Injectable()
class CompletionOfUnknownArgument {
  @McpCompletion({ resourceTemplate: 'note', argument: 'noteId' })
  complete(): string[] {
    return [];
  }
}

async function explore(providers: unknown[]): Promise<McpPrimitiveRegistry> {
  const module = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [McpPrimitiveExplorer, McpPrimitiveRegistry, JsonSchemaValidators, Greeter, ...(providers as never[])],
  }).compile();
  await module.init();
  return module.get(McpPrimitiveRegistry);
}

const context = {} as never;

describe('McpPrimitiveExplorer', () => {
  afterEach(() => mock.restoreAll());

  it('registers every kind in one pass, with class and method scopes merged, running on the DI instance', async () => {
    const registry = await explore([NotesPrimitives]);
    assert.deepEqual(
      registry.all().map((primitive) => `${primitive.kind}:${primitive.name}`),
      ['tool:greet', 'tool:plain', 'resource:readme', 'resourceTemplate:note', 'prompt:summarise'],
    );
    const greet = registry.tool('greet')!;
    assert.deepEqual([...greet.requiredScopes].sort(), ['notes:read', 'notes:write']);
    assert.deepEqual(registry.tool('plain')!.requiredScopes, ['notes:read']);
    assert.equal(greet.source, 'NotesPrimitives.greet');
    assert.deepEqual(Object.keys(greet.listing.inputSchema.properties ?? {}), ['name']);
    assert.equal(await greet.invoke({ name: 'Ada' }, context), 'hello Ada');
    assert.deepEqual([...registry.template('note')!.requiredScopes].sort(), ['notes:admin', 'notes:read']);
    assert.equal(await registry.template('note')!.invoke({ id: '7' }, context), 'note 7');
    assert.deepEqual(registry.prompt('summarise')!.listing.arguments, [
      { name: 'topic', description: 'What about', required: true },
      { name: 'tone', required: false },
    ]);
  });

  it('binds a completion to its prompt argument, needing the prompt scopes and its own', async () => {
    const registry = await explore([NotesPrimitives]);
    const completion = registry.prompt('summarise')!.completions.get('topic')!;
    assert.deepEqual([...completion.requiredScopes].sort(), ['completions', 'notes:read']);
    assert.deepEqual(await completion.complete('t', {}, context), ['travel', 'tea']);
    assert.equal(registry.hasCompletions(), true);
  });

  it('skips aliases (no double registration)', async () => {
    const registry = await explore([NotesPrimitives, { provide: 'ALIAS', useExisting: NotesPrimitives }]);
    assert.equal(registry.all().length, 5);
  });

  it('warns about handlers on request-scoped providers instead of crashing, and does not register them', async () => {
    const warn = mock.method(Logger.prototype, 'warn', () => undefined);
    const registry = await explore([NotesPrimitives, RequestScopedPrimitives]);
    assert.equal(registry.tool('per_request'), undefined);
    assert.equal(warn.mock.callCount(), 1);
    assert.match(String(warn.mock.calls[0].arguments[0]), /perRequest.*RequestScopedPrimitives.*request-scoped/);
  });

  for (const [what, provider, pattern] of [
    ['tool name', DuplicateToolName, /tool name "greet".*NotesPrimitives\.greet.*DuplicateToolName\.again/],
    [
      'resource URI',
      DuplicateResourceUri,
      /resource URI "notes:\/\/readme".*NotesPrimitives\.readme.*DuplicateResourceUri\.again/,
    ],
    [
      'URI template (whatever its variable names)',
      DuplicateTemplateShape,
      /URI template "notes:\/\/\{noteId\}".*NotesPrimitives\.note.*DuplicateTemplateShape\.again/,
    ],
    [
      'prompt name',
      DuplicatePromptName,
      /prompt name "summarise".*NotesPrimitives\.summarise.*DuplicatePromptName\.again/,
    ],
  ] as const) {
    it(`fails the boot on a duplicate ${what}, naming both methods`, async () => {
      await assert.rejects(explore([NotesPrimitives, provider]), (error: unknown) => {
        assert.ok(error instanceof McpAuthConfigurationError);
        assert.match(error.message, pattern);
        return true;
      });
    });
  }

  it('fails the boot on a completion of an unknown prompt or argument', async () => {
    await assert.rejects(explore([NotesPrimitives, CompletionOfNothing]), /no prompt "no_such_prompt"/);
    await assert.rejects(
      explore([NotesPrimitives, CompletionOfUnknownArgument]),
      /CompletionOfUnknownArgument\.complete: resource template "note" has no argument "noteId" \(it has: id\)/,
    );
  });
});

describe('primitive decorators', () => {
  it('refuse invalid options at decoration time', () => {
    assert.throws(() => McpTool({ name: 'has spaces' }), McpAuthConfigurationError);
    assert.throws(() => McpTool({ name: '' }), McpAuthConfigurationError);
    assert.throws(() => McpTool({ name: 'x', input: { type: 'string' } as never }), /`input` must be/);
    assert.throws(() => McpResource({ uri: 'not a uri', name: 'x' }), /absolute URI/);
    assert.throws(() => McpResource({ uri: 'notes://{id}', name: 'x' }), /@McpResourceTemplate/);
    assert.throws(() => McpResource({ uri: 'notes://x', name: '' }), /`name` must be a non-empty string/);
    assert.throws(() => McpResourceTemplate({ uriTemplate: 'notes://{a}{b}', name: 'x' }), /nothing between them/);
    assert.throws(() => McpResourceTemplate({ uriTemplate: 'notes://fixed', name: 'x' }), /no \{variable\}/);
    assert.throws(() => McpPrompt({ name: 'p', args: { type: 'object' } as never }), /`args` must be/);
    assert.throws(() => McpCompletion({ argument: 'x' } as never), /exactly one of `prompt` and `resourceTemplate`/);
  });

  it('refuse a second primitive decorator on one method, naming both', () => {
    assert.throws(() => {
      class Twice {
        @McpTool({ name: 'tool_too' })
        @McpResource({ uri: 'notes://twice', name: 'twice' })
        method(): void {}
      }
      return Twice;
    }, /Twice\.method has both @McpTool\("tool_too"\) and @McpResource\(\): a method serves one MCP primitive/);
  });

  it('do not mutate or keep a live reference to their options', () => {
    const options = { name: 'frozen_copy', description: 'before' };
    class Holder {
      @McpTool(options)
      method(): void {}
    }
    options.description = 'after';
    const stored = Reflect.getMetadata('nest-mcp-auth:mcp-primitive', Holder.prototype.method);
    assert.equal(stored.kind, 'tool');
    assert.equal(stored.options.description, 'before');
    assert.ok(Object.isFrozen(stored) && Object.isFrozen(stored.options));
  });
});
