import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/** A running {@link startProtectedMcpStub}. */
export interface ProtectedMcpStub {
  /** The MCP endpoint and resource indicator, e.g. `http://127.0.0.1:40123/mcp`. */
  readonly resource: string;
  /** Trusts this issuer from now on (the AS is started after the stub, as it needs the resource). */
  trustIssuer(issuer: string): void;
  /** Status codes of the POSTs to /mcp, in order (lets tests see the 401 / 403 steps). */
  readonly statuses: number[];
  close(): Promise<void>;
}

/**
 * A minimal OAuth-protected MCP server for testing the client helpers without the library under
 * development: RFC 9728 metadata, JWT checks with jose (issuer, audience, `at+jwt`), 401/403
 * challenges, and per-tool scopes (`list_notes`: notes:read, `add_note`: notes:write,
 * `whoami`: none). Stateless Streamable HTTP with JSON responses. Test support only.
 */
export async function startProtectedMcpStub(): Promise<ProtectedMcpStub> {
  const toolScopes: Record<string, string[]> = { list_notes: ['notes:read'], add_note: ['notes:write'], whoami: [] };
  const allScopes = ['notes:read', 'notes:write', 'notes:admin'];
  const statuses: number[] = [];
  const notes: string[] = [];
  let issuer: string | undefined;
  let jwks: JWTVerifyGetKey | undefined;

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const resource = `http://127.0.0.1:${port}/mcp`;
  const metadataUrl = `http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', resource).pathname;
    if (req.method === 'GET' && path === '/.well-known/oauth-protected-resource/mcp') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          resource,
          authorization_servers: [issuer],
          scopes_supported: allScopes,
          bearer_methods_supported: ['header'],
        }),
      );
      return;
    }
    if (path !== '/mcp') return void res.writeHead(404).end();
    if (req.method !== 'POST') return void res.writeHead(405, { Allow: 'POST' }).end();

    const challenge = (status: number, params: string) => {
      statuses.push(status);
      res.writeHead(status, { 'WWW-Authenticate': `Bearer ${params}, resource_metadata="${metadataUrl}"` }).end();
    };
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !issuer || !jwks) return challenge(401, `scope="${allScopes.join(' ')}"`);
    let scopes: Set<string>;
    let subject: string | undefined;
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer, audience: resource, typ: 'at+jwt' });
      scopes = new Set(String(payload.scope ?? '').split(' '));
      subject = payload.sub;
    } catch {
      return challenge(401, 'error="invalid_token"');
    }

    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { method?: string; params?: { name?: string } };
    if (body.method === 'tools/call') {
      const required = toolScopes[body.params?.name ?? ''] ?? [];
      if (!required.every((scope) => scopes.has(scope))) {
        return challenge(403, `error="insufficient_scope", scope="${required.join(' ')}"`);
      }
    }

    statuses.push(200);
    const mcp = new McpServer({ name: 'protected-mcp-stub', version: '0.0.0' });
    mcp.registerTool('list_notes', { description: 'List notes' }, async () => ({
      content: [{ type: 'text', text: JSON.stringify(notes) }],
    }));
    mcp.registerTool('add_note', { description: 'Add a note', inputSchema: { text: z.string() } }, async ({ text }) => {
      notes.push(text);
      return { content: [{ type: 'text', text: `added (${notes.length})` }] };
    });
    mcp.registerTool('whoami', { description: 'Who am I' }, async () => ({
      content: [{ type: 'text', text: `${subject} with ${[...scopes].join(' ')}` }],
    }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  return {
    resource,
    statuses,
    trustIssuer(value: string) {
      issuer = value;
      jwks = createRemoteJWKSet(new URL(`${value}/jwks`));
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
