import type { JWK } from 'jose';
import type { InteractionPolicyModule } from 'oidc-provider';
import { createFindAccount } from './accounts.js';
import { buildInteractionPolicy } from './consent-policy.js';
import { escapeHtml } from './html.js';
import type { DevResource, DevUser } from './types.js';

/** Everything {@link buildProviderConfiguration} needs, already resolved from the public options. */
export interface ProviderConfigurationInput {
  resources: readonly DevResource[];
  users: readonly DevUser[];
  jwks: { keys: JWK[] };
  cookieKeys: string[];
  enableClientCredentials: boolean;
  enableIntrospection: boolean;
  staticClients: Array<Record<string, unknown>>;
  requireResourceIndicator: boolean;
  accessTokenTtlSeconds: number;
  /** oidc-provider's `errors.InvalidTarget`, passed in because the module is loaded lazily. */
  InvalidTarget: new (description?: string) => Error;
  /** oidc-provider's `interactionPolicy` export, for the same reason. */
  interactionPolicy: InteractionPolicyModule;
}

/** The few members of oidc-provider's Koa context and models these callbacks read. */
interface RenderContext {
  type: string;
  body: unknown;
}
interface TokenLike {
  resourceServer?: { accessTokenTTL?: number };
}

const HOUR = 60 * 60;

/**
 * Builds the oidc-provider configuration of the development authorization server.
 *
 * Every default callback oidc-provider would otherwise call (and print a "you SHOULD change it"
 * notice for) is replaced here, so a development run stays quiet.
 */
export function buildProviderConfiguration(input: ProviderConfigurationInput): Record<string, unknown> {
  const byIndicator = new Map(input.resources.map((resource) => [resource.resource, resource]));
  const [firstResource] = input.resources;
  const accessTokenTtl = (_ctx: unknown, token: TokenLike) =>
    token.resourceServer?.accessTokenTTL ?? input.accessTokenTtlSeconds;

  return {
    clients: input.staticClients,
    jwks: input.jwks,
    findAccount: createFindAccount(input.users),
    cookies: { keys: input.cookieKeys },
    // OAuth 2.1: authorization code only (no implicit, no hybrid id_token responses).
    responseTypes: ['code'],
    // OAuth 2.1 / MCP: every client uses PKCE (S256 is the only method oidc-provider 9 offers).
    pkce: { required: () => true },
    // `issueRefreshToken` keeps oidc-provider's default: a refresh token only when the grant holds
    // `offline_access`, i.e. the client asked for it (with prompt=consent, as OpenID Connect
    // requires; oidc-provider drops it otherwise), may use refresh tokens, and the user left it
    // checked. A client that did not ask re-authorizes on a 403 step-up instead of redeeming a
    // refresh token for the same scopes (what the official SDK 1.x client does when it has one).
    interactions: {
      policy: buildInteractionPolicy(input.interactionPolicy),
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    extraClientMetadata: {
      // Listing the standard `scope` property here lets the validator drop it: oidc-provider would
      // otherwise reject registrations naming resource scopes (they are not OpenID scopes) and, for
      // clients that registered a scope, refuse later step-up requests for anything else. The
      // resource's own scope list is the only limit this development server applies.
      properties: ['scope'],
      validator(_ctx: unknown, key: string, _value: unknown, metadata: Record<string, unknown>) {
        if (key === 'scope') delete metadata.scope;
      },
    },
    features: {
      // The login/consent pages are ours (dev-login.ts); oidc-provider's own are debugging aids.
      devInteractions: { enabled: false },
      // Open dynamic client registration (RFC 7591), as MCP clients expect; no registration
      // access tokens since nobody manages registrations afterwards.
      registration: { enabled: true, initialAccessToken: false, issueRegistrationAccessToken: false },
      clientCredentials: { enabled: input.enableClientCredentials },
      // RFC 7662, for resources whose tokens are opaque (tests of the introspection verifier).
      introspection: { enabled: input.enableIntrospection },
      // Access tokens are JWTs for a resource server; there is no userinfo or logout story here.
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      resourceIndicators: {
        enabled: true,
        async defaultResource(_ctx: unknown, _client: unknown, oneOf?: string[]) {
          // Several resources in one authorization request: the token request must pick one.
          if (oneOf) return oneOf;
          if (input.requireResourceIndicator || !firstResource) {
            throw new input.InvalidTarget('the resource parameter (RFC 8707) is required');
          }
          return firstResource.resource;
        },
        async getResourceServerInfo(_ctx: unknown, indicator: string) {
          const resource = byIndicator.get(indicator);
          if (!resource) throw new input.InvalidTarget('unknown resource indicator');
          return {
            scope: resource.scopes.join(' '),
            audience: resource.resource,
            accessTokenFormat: resource.accessTokenFormat ?? 'jwt',
            accessTokenTTL: input.accessTokenTtlSeconds,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // Browser-based MCP clients (e.g. the MCP Inspector) call the token endpoint cross-origin.
    clientBasedCORS: () => true,
    ttl: {
      AccessToken: accessTokenTtl,
      ClientCredentials: accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: HOUR,
      Interaction: 10 * 60,
      Session: 8 * HOUR,
      Grant: 8 * HOUR,
      RefreshToken: 8 * HOUR,
    },
    async renderError(ctx: RenderContext, out: Record<string, unknown>) {
      ctx.type = 'html';
      ctx.body = errorPage(String(out.error ?? 'error'), String(out.error_description ?? ''));
    },
  };
}

/** A minimal error page; every value is escaped. */
export function errorPage(error: string, description: string): string {
  return (
    '<!doctype html><html><head><meta charset="utf-8"><title>Error</title></head><body>' +
    `<h1>${escapeHtml(error)}</h1><p>${escapeHtml(description)}</p></body></html>`
  );
}
