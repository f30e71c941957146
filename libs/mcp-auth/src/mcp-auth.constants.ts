/** Injection token of the resolved options (`ResolvedMcpAuthOptions`). Internal. */
export const MCP_AUTH_RESOLVED_OPTIONS = Symbol('MCP_AUTH_RESOLVED_OPTIONS');
