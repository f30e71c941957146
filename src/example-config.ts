import { type HttpAdapterName, httpAdapterFromEnv } from './http-adapter.js';

/** How the example server is set up; `exampleConfigFromEnv()` reads it from the environment. */
export interface ExampleConfig {
  /** Port to listen on (0 = any free port). */
  port: number;
  /** Interface to bind. */
  host: string;
  /** Public URL of the MCP endpoint: the protected resource, and the audience tokens must carry. */
  resourceUrl: string;
  /** Issuer of the authorization server. */
  issuer: string;
  /** Which discovery document the issuer serves first. */
  issuerType: 'oauth' | 'oidc';
  /** The HTTP platform: `express` (default) or `fastify`. The library needs nothing else from the app. */
  httpAdapter: HttpAdapterName;
  /** `stateless` (default) or `stateful` MCP sessions. */
  mode: 'stateless' | 'stateful';
  /** Browser origins allowed to call the MCP endpoint (comma-separated in MCP_ALLOWED_ORIGINS). */
  allowedOrigins: string[];
  /** False only for measuring the library's MCP-serving ceiling. */
  authEnabled: boolean;
  /** Nest logging. */
  logger: boolean;
}

export const SCOPES = ['notes:read', 'notes:write', 'notes:admin'];

/** What each scope allows, in words; the development sign-in page shows them beside each checkbox. */
export const SCOPE_DESCRIPTIONS: Record<string, string> = {
  'notes:read': 'Read your notes (list_notes, GET /api/notes)',
  'notes:write': 'Add notes (add_note)',
  'notes:admin': 'Delete all your notes (delete_all_notes)',
};

/** The resource's human name, in its metadata and on the development sign-in page. */
export const RESOURCE_NAME = 'Notes (nest-mcp-auth example)';

/**
 * Environment variables (an unknown `HTTP_ADAPTER` throws, naming the accepted values):
 * - `PORT` (3000), `HOST` (127.0.0.1)
 * - `MCP_RESOURCE_URL` (http://127.0.0.1:$PORT/mcp): the public URL clients use
 * - `ISSUER`: an external authorization server; unset → the embedded development server
 * - `ISSUER_TYPE`: `oauth` or `oidc` (default oidc for external issuers)
 * - `HTTP_ADAPTER`: `express` (default) or `fastify`
 * - `MCP_MODE`: `stateless` or `stateful`
 * - `MCP_ALLOWED_ORIGINS`: comma-separated browser origins
 */
export function exampleConfigFromEnv(env: NodeJS.ProcessEnv, issuer: string): ExampleConfig {
  const port = Number(env.PORT ?? 3000);
  const host = env.HOST ?? '127.0.0.1';
  return {
    port,
    host,
    resourceUrl: env.MCP_RESOURCE_URL ?? `http://${host}:${port}/mcp`,
    issuer,
    issuerType: env.ISSUER_TYPE === 'oauth' ? 'oauth' : 'oidc',
    httpAdapter: httpAdapterFromEnv(env.HTTP_ADAPTER),
    mode: env.MCP_MODE === 'stateful' ? 'stateful' : 'stateless',
    allowedOrigins: (env.MCP_ALLOWED_ORIGINS ?? '').split(',').filter(Boolean),
    authEnabled: true,
    logger: true,
  };
}
