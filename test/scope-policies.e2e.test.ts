import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Controller, Get, Injectable, Logger, Param } from '@nestjs/common';
import { z } from 'zod';
import { Auth, McpArgs, McpPrompt, McpResourceTemplate, McpTool, RequireScopes } from 'nest-mcp-auth';
import { postMcp } from './support/mcp-client.js';
import { ADAPTERS, appWithIssuerForSuite } from './support/test-app.js';

/** How often tool arguments were validated, to show they are validated once. */
let validations = 0;

const repoInput = z.object({
  name: z.string().transform((name) => {
    validations++;
    return name;
  }),
  // Absent means private: a scope function must see the default, not the raw (absent) value.
  visibility: z.enum(['public', 'private']).default('private'),
});

@Injectable()
class ScopedPrimitives {
  @McpTool({ name: 'read_notes' })
  @RequireScopes('notes:read')
  read() {
    return 'read';
  }

  @McpTool({ name: 'write_note' })
  @RequireScopes('notes:write')
  write(@Auth('scopes') scopes: string[]) {
    return `written with ${scopes.join(' ')}`;
  }

  @McpTool({ name: 'get_repo', input: repoInput })
  @RequireScopes('repo:read', (args: z.output<typeof repoInput>) =>
    args.visibility === 'private' ? 'repo:private' : [],
  )
  repo(@McpArgs() args: z.output<typeof repoInput>) {
    return `${args.visibility} repo ${args.name}`;
  }

  @McpTool({ name: 'broken' })
  @RequireScopes(() => {
    throw new Error('bug in a scope function');
  })
  broken() {
    return 'never';
  }

  @McpResourceTemplate({ uriTemplate: 'notes://{id}', name: 'note' })
  @RequireScopes('notes:read')
  note(@McpArgs('id') id: string) {
    return `note ${id}`;
  }

  @McpPrompt({ name: 'summarise' })
  @RequireScopes('notes:read')
  summarise() {
    return 'Summarise my notes';
  }
}

@Controller('items')
@RequireScopes('items:read')
class ItemsController {
  @Get(':id')
  @RequireScopes(({ params }: { params: { id: string } }) => (params.id.startsWith('secret') ? 'items:secret' : []))
  item(@Param('id') id: string) {
    return { id };
  }
}

for (const adapter of ADAPTERS)
  describe(`Scope hierarchies and scopes computed from the call (${adapter})`, () => {
    const setup = appWithIssuerForSuite({
      adapter,
      resource: {
        scopeHierarchy: {
          'notes:admin': ['notes:write'],
          'notes:write': ['notes:read'],
          'items:admin': ['items:read', 'items:secret'],
        },
      },
      mcp: { hideUnauthorized: true },
      primitives: [ScopedPrimitives],
      controllers: [ItemsController],
    });
    const errors: string[] = [];
    before(() =>
      Logger.overrideLogger({ log() {}, warn() {}, error: (message: unknown) => void errors.push(String(message)) }),
    );
    after(() => Logger.overrideLogger(true));

    const token = (scope: string) => setup.issuer.mint({ sub: 'alice', aud: setup.app.mcpUrl, scope });
    const rpc = (method: string, params: Record<string, unknown>) => ({ jsonrpc: '2.0', id: 7, method, params });
    /** A 2025-11-25 request (postMcp's default): its challenge names what the operation needs, then what the token has. */
    const post = async (body: unknown, scope: string) =>
      postMcp(setup.app.mcpUrl, body, { authorization: `Bearer ${await token(scope)}` });
    const challengeScope = (response: { headers: Headers }) =>
      /scope="([^"]*)"/.exec(response.headers.get('www-authenticate') ?? '')?.[1];

    describe('a broader scope grants the narrower ones it implies (transitively)', () => {
      it('on tools: notes:admin may write and read, notes:write may read', async () => {
        const admin = await post(rpc('tools/call', { name: 'write_note', arguments: {} }), 'notes:admin');
        assert.equal(admin.status, 200);
        // The tool still sees the token's own scopes.
        assert.match(admin.text, /written with notes:admin/);
        assert.equal((await post(rpc('tools/call', { name: 'read_notes', arguments: {} }), 'notes:admin')).status, 200);
        assert.equal((await post(rpc('tools/call', { name: 'read_notes', arguments: {} }), 'notes:write')).status, 200);
      });

      it('on resources, templates and prompts', async () => {
        assert.equal((await post(rpc('resources/read', { uri: 'notes://1' }), 'notes:admin')).status, 200);
        assert.equal((await post(rpc('prompts/get', { name: 'summarise' }), 'notes:write')).status, 200);
      });

      it('in list filtering: what an implied scope allows is listed', async () => {
        const listed = await post(rpc('tools/list', {}), 'notes:admin');
        const names = (JSON.parse(listed.text).result.tools as Array<{ name: string }>).map((tool) => tool.name);
        assert.ok(names.includes('write_note') && names.includes('read_notes'), names.join(' '));
        assert.ok(!names.includes('get_repo'));
      });

      it('on routes', async () => {
        const response = await fetch(`${setup.app.baseUrl}/items/secret-1`, {
          headers: { authorization: `Bearer ${await token('items:admin')}` },
        });
        assert.equal(response.status, 200);
      });

      it('never the other way round, and the challenge names the scope the operation needs', async () => {
        const refused = await post(rpc('tools/call', { name: 'write_note', arguments: {} }), 'notes:read');
        assert.equal(refused.status, 403);
        assert.equal(challengeScope(refused), 'notes:write notes:read');
      });
    });

    describe('scopes computed from the validated arguments', () => {
      it('asks for repo:private when the (defaulted) visibility is private, before the tool runs', async () => {
        const implicit = await post(rpc('tools/call', { name: 'get_repo', arguments: { name: 'x' } }), 'repo:read');
        assert.equal(implicit.status, 403);
        assert.equal(challengeScope(implicit), 'repo:read repo:private');
        const publicRepo = await post(
          rpc('tools/call', { name: 'get_repo', arguments: { name: 'x', visibility: 'public' } }),
          'repo:read',
        );
        assert.equal(publicRepo.status, 200);
        assert.match(publicRepo.text, /public repo x/);
      });

      it('validates the arguments once for both the decision and the tool', async () => {
        const before = validations;
        const ok = await post(
          rpc('tools/call', { name: 'get_repo', arguments: { name: 'y' } }),
          'repo:read repo:private',
        );
        assert.equal(ok.status, 200);
        assert.match(ok.text, /private repo y/);
        assert.equal(validations - before, 1);
      });

      it('computes route scopes from the route parameters', async () => {
        const get = async (path: string, scope: string) =>
          fetch(`${setup.app.baseUrl}${path}`, { headers: { authorization: `Bearer ${await token(scope)}` } });
        assert.equal((await get('/items/public-1', 'items:read')).status, 200);
        const secret = await get('/items/secret-1', 'items:read');
        assert.equal(secret.status, 403);
        assert.equal(challengeScope(secret), 'items:read items:secret');
      });

      it('refuses (403, logged) instead of failing when a scope function throws', async () => {
        const response = await post(rpc('tools/call', { name: 'broken', arguments: {} }), 'anything');
        assert.equal(response.status, 403);
        assert.ok(errors.some((line) => line.includes('bug in a scope function')));
      });
    });
  });
