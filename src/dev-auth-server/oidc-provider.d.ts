/**
 * The slice of oidc-provider 9's API that the development authorization server uses.
 *
 * oidc-provider ships no type declarations and `@types/oidc-provider` is not a dependency of this
 * workspace, so the few members we touch are declared here. Configuration stays loosely typed on
 * purpose: its shape is documented upstream and checked by oidc-provider itself at start-up.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** What `interactionDetails()` returns for a pending login/consent interaction. */
  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    /** The authorization request parameters (after defaults such as the resource indicator). */
    params: Record<string, unknown>;
    session?: { accountId: string; uid: string };
    grantId?: string;
  }

  /** A grant (what the end-user consented to for one client). */
  export interface Grant {
    addOIDCScope(scope: string): void;
    rejectOIDCScope(scope: string): void;
    /** Granted OpenID scopes (space-separated), rejected ones removed. */
    getOIDCScope(): string;
    getRejectedOIDCScope(): string;
    addOIDCClaims(claims: string[]): void;
    getOIDCClaims(): string[];
    addResourceScope(resource: string, scope: string): void;
    rejectResourceScope(resource: string, scope: string): void;
    /** Granted scopes for the resource (space-separated), rejected ones removed. */
    getResourceScope(resource: string): string;
    getRejectedResourceScope(resource: string): string;
    save(): Promise<string>;
  }

  export interface GrantConstructor {
    new (properties: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  /** A registered client, as oidc-provider's Client model exposes it. */
  export interface ClientModel {
    clientId: string;
    clientName?: string;
  }

  /** Result of a login/consent interaction (see `interactionFinished`). */
  export interface InteractionResult {
    login?: { accountId: string };
    consent?: { grantId: string };
    error?: string;
    error_description?: string;
  }

  export class Provider {
    constructor(issuer: string, configuration?: Record<string, unknown>);
    readonly issuer: string;
    readonly Grant: GrantConstructor;
    readonly Client: { find(id: string): Promise<ClientModel | undefined> };
    /** Node `(req, res)` listener of the underlying Koa application. */
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResult,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  /** What an interaction policy check sees of oidc-provider's request context. */
  export interface PolicyContext {
    oidc: {
      result?: { consent?: unknown };
      requestParamScopes: Set<string>;
      resourceServers?: Record<string, unknown>;
      grant?: Grant;
    };
  }

  /** `interactionPolicy`: the default login/consent prompts and the classes to extend them. */
  export interface InteractionPolicyModule {
    base(): Array<{ name: string; checks: { add(check: unknown): void } }> & {
      get(name: string): { name: string; checks: { add(check: unknown): void } } | undefined;
    };
    Check: {
      new (reason: string, description: string, error: string, check: (ctx: PolicyContext) => boolean): unknown;
      readonly REQUEST_PROMPT: true;
      readonly NO_NEED_TO_PROMPT: false;
    };
  }
  export const interactionPolicy: InteractionPolicyModule;

  /** OAuth error classes (only those used here). */
  export const errors: {
    InvalidTarget: new (description?: string) => Error;
  };

  export default Provider;
}
