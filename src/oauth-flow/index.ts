/** Client-side OAuth helpers for MCP on the official SDK, tuned for the development authorization server. */
export {
  InMemoryOAuthClientProvider,
  type InMemoryOAuthClientProviderOptions,
} from './in-memory-oauth-client-provider.js';
export { completeDevLogin, DevLoginError, type CompleteDevLoginOptions } from './complete-dev-login.js';
export {
  connectWithOAuth,
  stepUp,
  withStepUp,
  type ConnectWithOAuthOptions,
  type OAuthConnection,
} from './connect-with-oauth.js';
export { CookieJar } from './cookie-jar.js';
export { createTracingFetch, type HttpExchange } from './tracing-fetch.js';
export { describeOAuthExchange } from './describe-exchange.js';
export { parseScopes, unionScopes } from './scopes.js';
