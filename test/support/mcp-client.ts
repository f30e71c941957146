import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type ClientCapabilities, ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

/** An official SDK client connected with a fixed bearer token (no OAuth flow: the token is given). */
export async function connectWithToken(
  mcpUrl: string,
  token: string | undefined,
  headers: Record<string, string> = {},
  roots?: string[],
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
    requestInit: { headers: { ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) } },
  });
  const client = new Client({ name: 'e2e-test', version: '1.0.0' }, roots ? { capabilities: { roots: {} } } : {});
  // With `roots`, the client answers the server's roots/list requests (server-to-client requests).
  if (roots) client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: roots.map((uri) => ({ uri })) }));
  await client.connect(transport);
  return { client, transport };
}

/**
 * An official SDK client with the capabilities given (e.g. `{ elicitation: {}, sampling: {} }`), `prepare`d
 * (request and notification handlers) before it connects with a fixed bearer token.
 */
export async function connectClient(
  mcpUrl: string,
  token: string,
  capabilities: ClientCapabilities = {},
  prepare: (client: Client) => void = () => undefined,
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'e2e-test', version: '1.0.0' }, { capabilities });
  prepare(client);
  await client.connect(transport);
  return { client, transport };
}

/** A raw JSON-RPC POST to the MCP endpoint, for what the SDK client would never send. */
export async function postMcp(
  mcpUrl: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
