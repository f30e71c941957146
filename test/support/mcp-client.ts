import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type ClientCapabilities, ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

/** An `initialize` request of a client without capabilities, for a raw POST. */
export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

/**
 * An official SDK client connected with a fixed bearer token (no OAuth flow: the token is given), or with none.
 * With `roots`, the client answers the server's roots/list requests (server-to-client requests).
 */
export function connectWithToken(
  mcpUrl: string,
  token: string | undefined,
  roots?: string[],
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  if (!roots) return connectClient(mcpUrl, token);
  return connectClient(mcpUrl, token, { roots: {} }, (client) =>
    client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: roots.map((uri) => ({ uri })) })),
  );
}

/**
 * An official SDK client with the capabilities given (e.g. `{ elicitation: {}, sampling: {} }`), `prepare`d
 * (request and notification handlers) before it connects with a fixed bearer token (or none).
 */
export async function connectClient(
  mcpUrl: string,
  token: string | undefined,
  capabilities: ClientCapabilities = {},
  prepare: (client: Client) => void = () => undefined,
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
    requestInit: token ? { headers: { Authorization: `Bearer ${token}` } } : {},
  });
  const client = new Client({ name: 'e2e-test', version: '1.0.0' }, { capabilities });
  prepare(client);
  await client.connect(transport);
  return { client, transport };
}

/** The text parts of a tool result (`content`), one per line. */
export const toolText = (result: unknown): string =>
  ((result as { content?: Array<{ text?: string }> }).content ?? []).map((part) => part.text ?? '').join('\n');

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
