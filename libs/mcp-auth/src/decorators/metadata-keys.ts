// Metadata keys, private to the library: one key, one definition.
export const REQUIRE_SCOPES_METADATA = 'nest-mcp-auth:require-scopes';
export const PUBLIC_METADATA = 'nest-mcp-auth:public';
export const MCP_TOOL_METADATA = 'nest-mcp-auth:mcp-tool';
export const MCP_TOOL_PARAMS_METADATA = 'nest-mcp-auth:mcp-tool-params';
export const MCP_ENDPOINT_METADATA = 'nest-mcp-auth:mcp-endpoint';
