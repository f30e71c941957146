import { Injectable } from '@nestjs/common';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { AuthInfo } from '../auth/auth-info.interface.js';
import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import type { RegisteredTool } from './registered-tool.interface.js';

const NO_SCOPES: readonly string[] = Object.freeze([]);

/** Every `@McpTool` of the application, by name. Filled by the explorer at bootstrap, read per request. */
@Injectable()
export class McpToolRegistry {
  private readonly tools = new Map<string, RegisteredTool>();
  private listing: Tool[] = [];

  /** @throws McpAuthConfigurationError when the name is taken, naming both methods. */
  register(tool: RegisteredTool): void {
    const existing = this.tools.get(tool.name);
    if (existing) {
      throw new McpAuthConfigurationError(
        `Duplicate MCP tool name "${tool.name}": declared by ${existing.source} and ${tool.source}`,
      );
    }
    this.tools.set(tool.name, tool);
    this.listing = [...this.tools.values()].map((each) => each.listing);
  }

  get(name: string): RegisteredTool | undefined {
    return this.tools.get(name);
  }

  all(): RegisteredTool[] {
    return [...this.tools.values()];
  }

  /** The `tools/list` result: every tool, or only those `auth` has the scopes for. */
  list(auth: AuthInfo | undefined, hideUnauthorized: boolean): Tool[] {
    if (!hideUnauthorized) return this.listing;
    const scopes = auth?.scopes ?? [];
    return this.all()
      .filter((tool) => tool.requiredScopes.every((scope) => scopes.includes(scope)))
      .map((tool) => tool.listing);
  }

  /**
   * The scopes a JSON-RPC message (or batch) needs: those of every tool it calls. Read before the tool runs,
   * so a missing scope is answered at the HTTP layer with a 403 challenge the client can step up from.
   */
  scopesForMessages(body: unknown): readonly string[] {
    if (Array.isArray(body)) {
      const scopes = new Set<string>();
      for (const message of body) for (const scope of this.scopesForMessage(message)) scopes.add(scope);
      return [...scopes];
    }
    return this.scopesForMessage(body);
  }

  private scopesForMessage(message: unknown): readonly string[] {
    if (typeof message !== 'object' || message === null) return NO_SCOPES;
    const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
    if (method !== 'tools/call' || typeof params?.name !== 'string') return NO_SCOPES;
    return this.tools.get(params.name)?.requiredScopes ?? NO_SCOPES;
  }
}
