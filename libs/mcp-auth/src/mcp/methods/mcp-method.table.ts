import { type AnySchema, getParseErrorMessage, safeParse } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import {
  type CallToolRequest,
  CallToolRequestSchema,
  type CompleteRequest,
  type GetPromptRequest,
  type ReadResourceRequest,
  type SetLevelRequest,
  type SubscribeRequest,
  type UnsubscribeRequest,
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  type JSONRPCRequest,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type Result,
  type ServerCapabilities,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { AuthInfo } from '../../auth/auth-info.interface.js';
import type { McpPrimitiveKind } from '../../decorators/mcp-primitive.metadata.js';
import type { McpConnectionState } from '../context/mcp-connection-state.js';
import type { McpRequestExtra } from '../context/mcp-request-context.js';
import type { McpPrimitiveRegistry } from '../primitives/mcp-primitive.registry.js';
import type { McpResourceSubscriptions } from '../subscriptions/resource-subscriptions.js';
import { handleCompletion } from './completion.handler.js';
import { handlePromptGet } from './prompt-get.handler.js';
import { handleResourceRead, resolveResourceOrFail } from './resource-read.handler.js';
import { assertScopes } from './scope-assertion.js';
import { handleToolCall } from './tool-call.handler.js';

/** Serves one JSON-RPC method for one SDK `Server` (a session, or a stateless POST). */
export type McpMethodHandler = (
  request: JSONRPCRequest,
  extra: McpRequestExtra,
  connection: McpConnectionState,
) => Promise<Result>;

/** What the table is built from, once, at bootstrap. */
export interface McpMethodTableOptions {
  registry: McpPrimitiveRegistry;
  subscriptions: McpResourceSubscriptions;
  stateful: boolean;
  hideUnauthorized: boolean;
}

/** The methods the application serves, and the capabilities `initialize` announces: derived from one registry. */
export interface McpMethodTable {
  capabilities: ServerCapabilities;
  methods: ReadonlyMap<string, McpMethodHandler>;
}

/**
 * Which JSON-RPC methods exist follows from what is registered: no `resources/*` without resources, no
 * subscriptions without a session to deliver updates to, `logging` as soon as any handler could log.
 */
export function buildMethodTable(options: McpMethodTableOptions): McpMethodTable {
  const { registry, subscriptions, stateful, hideUnauthorized } = options;
  const methods = new Map<string, McpMethodHandler>();
  const capabilities: ServerCapabilities = {};
  /** A list method (`tools/list`...): the request checked, then the listings of `kind` (hiding: only the allowed). */
  const list =
    (schema: AnySchema, kind: McpPrimitiveKind, key: string): McpMethodHandler =>
    async (request, extra) => {
      params(schema, request);
      return { [key]: registry.list(kind, extra.authInfo as AuthInfo | undefined, hideUnauthorized) };
    };

  if (registry.all().length > 0) {
    capabilities.logging = {};
    methods.set('logging/setLevel', async (request, _extra, connection) => {
      connection.logLevel = params<SetLevelRequest>(SetLevelRequestSchema, request).level;
      return {};
    });
  }
  if (registry.has('tool')) {
    capabilities.tools = { listChanged: false };
    methods.set('tools/list', list(ListToolsRequestSchema, 'tool', 'tools'));
    methods.set('tools/call', (request, extra, connection) =>
      handleToolCall(registry, params<CallToolRequest>(CallToolRequestSchema, request), extra, connection),
    );
  }
  if (registry.has('resource') || registry.has('resourceTemplate')) {
    capabilities.resources = { listChanged: false, subscribe: stateful };
    methods.set('resources/list', list(ListResourcesRequestSchema, 'resource', 'resources'));
    methods.set(
      'resources/templates/list',
      list(ListResourceTemplatesRequestSchema, 'resourceTemplate', 'resourceTemplates'),
    );
    methods.set('resources/read', (request, extra, connection) =>
      handleResourceRead(
        registry,
        params<ReadResourceRequest>(ReadResourceRequestSchema, request).uri,
        extra,
        connection,
      ),
    );
    if (stateful) {
      methods.set('resources/subscribe', async (request, extra, connection) => {
        const { uri } = params<SubscribeRequest>(SubscribeRequestSchema, request);
        const { primitive, variables } = resolveResourceOrFail(registry, uri);
        assertScopes(primitive, extra.authInfo, variables, `Resource ${uri}`);
        subscriptions.subscribe(uri, connection);
        return {};
      });
      methods.set('resources/unsubscribe', async (request, _extra, connection) => {
        subscriptions.unsubscribe(params<UnsubscribeRequest>(UnsubscribeRequestSchema, request).uri, connection);
        return {};
      });
    }
  }
  if (registry.has('prompt')) {
    capabilities.prompts = { listChanged: false };
    methods.set('prompts/list', list(ListPromptsRequestSchema, 'prompt', 'prompts'));
    methods.set('prompts/get', (request, extra, connection) =>
      handlePromptGet(registry, params<GetPromptRequest>(GetPromptRequestSchema, request), extra, connection),
    );
  }
  if (registry.hasCompletions()) {
    capabilities.completions = {};
    methods.set('completion/complete', (request, extra, connection) =>
      handleCompletion(registry, params<CompleteRequest>(CompleteRequestSchema, request), extra, connection),
    );
  }
  return { capabilities, methods };
}

/** The request validated against the method's SDK schema (as the SDK's `setRequestHandler` would), or invalid-params. */
function params<Request extends { params?: unknown }>(schema: AnySchema, request: JSONRPCRequest): Request['params'] {
  const parsed = safeParse(schema, request);
  if (!parsed.success) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `Invalid ${request.method} request: ${getParseErrorMessage(parsed.error)}`,
    );
  }
  return (parsed.data as Request).params;
}
