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
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
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

  /** OAuth error classes (only those used here). */
  export const errors: {
    InvalidTarget: new (description?: string) => Error;
  };

  export default Provider;
}
