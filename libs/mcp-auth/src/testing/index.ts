// `nest-mcp-auth/testing`: helpers for testing applications built with the library.
export { freePort } from './free-port.js';
export { type LocalIssuer, type LocalIssuerOptions, type MintOptions, startLocalIssuer } from './local-issuer.js';
export { type McpRefusal, McpTestKit, type TestIdentity } from './mcp-test-kit.js';
export { type ParsedChallenge, parseWwwAuthenticate } from './www-authenticate.js';
