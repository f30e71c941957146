// The public surface of nest-mcp-auth. Metadata keys, explorers and other internals stay private.
export { McpAuthModule } from './mcp-auth.module.js';
export { MCP_AUTH_MODULE_OPTIONS } from './mcp-auth.module-definition.js';
export type {
  AuthorizationServerMetadata,
  AuthorizationServerOptions,
  CustomTokenVerifier,
  DpopOptions,
  DpopReplayStore,
  IntrospectionVerifierOptions,
  McpAuthModuleOptions,
  McpEndpointOptions,
  ProtectedResourceOptions,
  ScopeClaimOption,
  ScopeHierarchyOption,
  TokenVerificationContext,
  TokenVerifierOption,
} from './options/mcp-auth-options.interface.js';
export type { AuthInfo } from './auth/auth-info.interface.js';
export { McpAuthContext } from './auth/auth-context.service.js';
export { McpAuthGuard } from './guard/mcp-auth.guard.js';
export { RequireScopes } from './decorators/require-scopes.decorator.js';
export type { ScopeFunction } from './guard/scope-requirement.js';
export { Public } from './decorators/public.decorator.js';
export { Auth } from './decorators/auth.decorator.js';
export { McpTool, type McpToolOptions } from './decorators/mcp-tool.decorator.js';
export { McpResource, type McpResourceOptions } from './decorators/mcp-resource.decorator.js';
export { McpResourceTemplate, type McpResourceTemplateOptions } from './decorators/mcp-resource-template.decorator.js';
export { McpPrompt, type McpPromptOptions } from './decorators/mcp-prompt.decorator.js';
export { McpCompletion, type McpCompletionOptions } from './decorators/mcp-completion.decorator.js';
export { McpArgs, McpContext, ToolArgs, ToolContext } from './decorators/mcp-params.decorator.js';
export type { JsonObjectSchema, McpObjectSchema } from './decorators/object-schema.js';
export {
  type McpClientRequestOptions,
  McpRequestContext,
  type McpToolContext,
} from './mcp/context/mcp-request-context.js';
export { McpResourceNotifier } from './mcp/subscriptions/mcp-resource.notifier.js';
export {
  AuthorizationServerDiscoveryError,
  BearerAuthError,
  type BearerErrorCode,
  McpAuthConfigurationError,
  McpAuthError,
  McpSessionRequiredError,
} from './errors/mcp-auth.errors.js';
export { protectedResourceMetadataUrl } from './metadata/protected-resource-metadata.js';
export { TokenVerificationService } from './token/token-verification.service.js';
export type { TokenPresentation } from './token/sender-constraint.js';
export { InMemoryDpopReplayStore } from './token/dpop/dpop-replay.store.js';
export { RedisDpopReplayStore, type RedisSetNx } from './token/dpop/redis-dpop-replay.store.js';
