// Row 4, the alternative most users would write: the MCP SDK's stateless Streamable HTTP pattern on
// Express (`createMcpExpressApp()` = express + Host-header check + `express.json()`), guarded by the
// SDK's `requireBearerAuth` with a jose verifier (remote JWKS, iss/aud/exp checked), and a new
// McpServer + transport per request, closed when the response closes.
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TOOL_NAME, announceReady, readServerEnv } from '../common.js';

const env = readServerEnv();
const port = Number(env.PORT);

// Discover the JWKS the way a careful user would (RFC 8414 metadata of the issuer).
const metadata = (await (await fetch(`${env.BENCH_ISSUER}/.well-known/oauth-authorization-server`)).json()) as {
  issuer: string;
  jwks_uri: string;
};
const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri));

const verifier = {
  async verifyAccessToken(token: string): Promise<AuthInfo> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: env.BENCH_ISSUER,
        audience: env.BENCH_RESOURCE,
        algorithms: ['RS256'],
      }));
    } catch {
      throw new InvalidTokenError('Invalid access token');
    }
    return {
      token,
      clientId: typeof payload.client_id === 'string' ? payload.client_id : '',
      scopes: typeof payload.scope === 'string' ? payload.scope.split(' ') : [],
      expiresAt: payload.exp,
      resource: new URL(env.BENCH_RESOURCE),
      extra: { sub: payload.sub },
    };
  },
};

function getServer(): McpServer {
  const server = new McpServer({ name: 'bench-express-sdk', version: '1.0.0' });
  server.registerTool(TOOL_NAME, { description: 'Returns the subject of the access token' }, async (extra) => ({
    content: [{ type: 'text', text: String(extra.authInfo?.extra?.sub ?? 'anonymous') }],
  }));
  return server;
}

// `createMcpExpressApp` returns Express' app type, which is untyped here (no @types/express).
interface Req extends IncomingMessage {
  body?: unknown;
}
type Res = ServerResponse & { status(code: number): Res; json(body: unknown): void };

const app = createMcpExpressApp({ host: '127.0.0.1' });
app.post(
  '/mcp',
  requireBearerAuth({
    verifier,
    resourceMetadataUrl: `http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`,
  }),
  async (req: Req, res: Res) => {
    const server = getServer();
    try {
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
    } catch {
      if (!res.headersSent) {
        res.status(500).json({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null });
      }
    }
  },
);

const httpServer = app.listen(port, '127.0.0.1', () => announceReady(port));
httpServer.on('error', (error: Error) => {
  process.stderr.write(`express-sdk server failed: ${error.message}\n`);
  process.exit(1);
});
