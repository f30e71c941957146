// Metadata keys, private to the library: one key, one definition.
export const REQUIRE_SCOPES_METADATA = 'nest-mcp-auth:require-scopes';
export const PUBLIC_METADATA = 'nest-mcp-auth:public';
/** Every MCP primitive (tool, resource, resource template, prompt): `{ kind, options }`. */
export const MCP_PRIMITIVE_METADATA = 'nest-mcp-auth:mcp-primitive';
export const MCP_COMPLETION_METADATA = 'nest-mcp-auth:mcp-completion';
export const MCP_PARAMS_METADATA = 'nest-mcp-auth:mcp-params';
export const MCP_ENDPOINT_METADATA = 'nest-mcp-auth:mcp-endpoint';
