import { safeParse } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import {
  ErrorCode,
  McpError,
  type ReadResourceResult,
  ReadResourceResultSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { McpConnectionState } from '../context/mcp-connection-state.js';
import { McpRequestContext, type McpRequestExtra } from '../context/mcp-request-context.js';
import type { McpPrimitiveRegistry, ResolvedResourceUri } from '../primitives/mcp-primitive.registry.js';
import { assertScopes } from './scope-assertion.js';

/** The MCP error code for an unknown resource (server/resources, "Error Handling"). */
const RESOURCE_NOT_FOUND = -32002;

/** The resource a URI names, or the MCP "resource not found" error. */
export function resolveResourceOrFail(registry: McpPrimitiveRegistry, uri: string): ResolvedResourceUri {
  const resolved = registry.resolveResource(uri);
  if (!resolved) throw resourceNotFound(uri);
  return resolved;
}

/**
 * Runs a `resources/read`. The handler returns text, bytes (sent base64 as a blob), a full
 * `ReadResourceResult`, or `undefined` for "no such resource" (a template's unknown id).
 */
export async function handleResourceRead(
  registry: McpPrimitiveRegistry,
  uri: string,
  extra: McpRequestExtra,
  connection: McpConnectionState,
): Promise<ReadResourceResult> {
  const { primitive, variables } = resolveResourceOrFail(registry, uri);
  assertScopes(primitive, extra.authInfo, variables, `Resource ${uri}`);
  const value = await primitive.invoke(variables, new McpRequestContext(extra, connection, uri));
  return toReadResourceResult(value, uri, primitive.mimeType);
}

function toReadResourceResult(value: unknown, uri: string, mimeType: string | undefined): ReadResourceResult {
  if (value === undefined || value === null) throw resourceNotFound(uri);
  const type = mimeType === undefined ? {} : { mimeType };
  if (typeof value === 'string') return { contents: [{ uri, ...type, text: value }] };
  if (value instanceof Uint8Array) {
    return {
      contents: [
        { uri, ...type, blob: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') },
      ],
    };
  }
  if (typeof value === 'object' && Array.isArray((value as ReadResourceResult).contents)) {
    if (!safeParse(ReadResourceResultSchema, value).success) {
      throw new McpError(ErrorCode.InternalError, `The handler of ${uri} returned an invalid ReadResourceResult`);
    }
    return value as ReadResourceResult;
  }
  return { contents: [{ uri, mimeType: mimeType ?? 'application/json', text: JSON.stringify(value) }] };
}

function resourceNotFound(uri: string): McpError {
  return new McpError(RESOURCE_NOT_FOUND, `Resource ${uri.slice(0, 200)} not found`, { uri: uri.slice(0, 200) });
}
