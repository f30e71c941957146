/** Embedded development OAuth 2.1 authorization server for MCP resource servers. */
export { startDevAuthorizationServer } from './dev-authorization-server.js';
export { DEFAULT_DEV_USERS } from './accounts.js';
export type { DevAuthorizationServer, DevAuthorizationServerOptions, DevResource, DevUser } from './types.js';
