import { randomBytes } from 'node:crypto';
import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { parseScopes, unionScopes } from './scopes.js';

/** Options of {@link InMemoryOAuthClientProvider}. */
export interface InMemoryOAuthClientProviderOptions {
  /**
   * Redirect URI registered for the client. Nothing has to listen on it when `authorize` reads the
   * code from the redirect itself (see `completeDevLogin`). Default `http://127.0.0.1:8976/callback`.
   */
  redirectUrl?: string;
  /** `client_name` sent at dynamic registration. Default `nest-mcp-auth demo client`. */
  clientName?: string;
  /**
   * Scope of the first authorization, replacing the one the SDK chose (the server's
   * `WWW-Authenticate` scope or its `scopes_supported`). Lets a client start with least privilege
   * and step up later. Default: keep the SDK's choice.
   */
  initialScope?: string;
  /**
   * Ask again for the scopes already granted whenever authorizing again, so a step-up adds to the
   * token's scopes instead of replacing them (the client-side accumulation of SEP-2350; the SDK
   * itself requests only the challenged scopes). Default true.
   */
  accumulateScopes?: boolean;
  /**
   * Keep the refresh token from the SDK while the access token is valid (see `tokens()`). Default
   * true; false stores and offers tokens as received, like a plain SDK client store.
   */
  withholdRefreshToken?: boolean;
  /**
   * Completes an authorization in place of a browser and returns the authorization code, e.g.
   * `(url) => completeDevLogin(url)`. Without it the URL is only recorded.
   */
  authorize?: (authorizationUrl: URL) => Promise<string>;
}

/** Refresh only when the access token has less than this left (see {@link InMemoryOAuthClientProvider.tokens}). */
const REFRESH_MARGIN_MS = 30_000;

/**
 * An in-memory {@link OAuthClientProvider} for the official MCP SDK: it keeps the registered client,
 * tokens, PKCE verifier and discovery state for the life of the process.
 *
 * `redirectToAuthorization(url)` records the URL and, when an `authorize` function is configured,
 * completes the authorization right away and keeps the code for {@link takeAuthorizationCode}. The
 * SDK still reports `REDIRECT` (its transport throws `UnauthorizedError`); the caller then passes
 * the code to `transport.finishAuth(code)` — see `connectWithOAuth` and `withStepUp`.
 */
export class InMemoryOAuthClientProvider implements OAuthClientProvider {
  /** Every authorization URL the SDK asked to open, after scope adjustments, oldest first. */
  readonly authorizationUrls: URL[] = [];

  readonly #redirectUrl: string;
  readonly #clientName: string;
  readonly #initialScope: string | undefined;
  readonly #accumulateScopes: boolean;
  readonly #withholdRefreshToken: boolean;
  readonly #authorize: ((authorizationUrl: URL) => Promise<string>) | undefined;
  #clientInformation: OAuthClientInformationMixed | undefined;
  #tokens: OAuthTokens | undefined;
  #tokensExpireAt: number | undefined;
  #grantedScopes: string[] = [];
  #codeVerifier: string | undefined;
  #discoveryState: OAuthDiscoveryState | undefined;
  #pendingCode: string | undefined;

  constructor(options: InMemoryOAuthClientProviderOptions = {}) {
    this.#redirectUrl = options.redirectUrl ?? 'http://127.0.0.1:8976/callback';
    this.#clientName = options.clientName ?? 'nest-mcp-auth demo client';
    this.#initialScope = options.initialScope;
    this.#accumulateScopes = options.accumulateScopes ?? true;
    this.#withholdRefreshToken = options.withholdRefreshToken ?? true;
    this.#authorize = options.authorize;
  }

  get redirectUrl(): string {
    return this.#redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.#clientName,
      redirect_uris: [this.#redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // A public client: PKCE protects the code, there is no secret to keep.
      token_endpoint_auth_method: 'none',
    };
  }

  /** A fresh random `state` per authorization request; `completeDevLogin` checks it comes back. */
  state(): string {
    return randomBytes(16).toString('base64url');
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.#clientInformation;
  }

  saveClientInformation(clientInformation: OAuthClientInformationMixed): void {
    this.#clientInformation = clientInformation;
  }

  /**
   * The stored tokens. The refresh token is withheld while the access token is still valid: the
   * SDK's `auth()` always tries a refresh first when it sees one, also after a 403
   * `insufficient_scope`, where a refresh can only return the same scopes and the SDK then gives
   * up. Withholding it sends the SDK to a new authorization for a step-up, while an expired access
   * token is still refreshed.
   */
  tokens(): OAuthTokens | undefined {
    if (!this.#tokens) return undefined;
    // Without an expiry we cannot tell, so the refresh token is offered.
    const stillValid = this.#tokensExpireAt !== undefined && this.#tokensExpireAt - REFRESH_MARGIN_MS > Date.now();
    if (this.#withholdRefreshToken && this.#tokens.refresh_token && stillValid) {
      const { refresh_token: _withheld, ...rest } = this.#tokens;
      return rest;
    }
    return this.#tokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    // A refresh response may omit the refresh token; keep the one we have.
    this.#tokens = { ...tokens, refresh_token: tokens.refresh_token ?? this.#tokens?.refresh_token };
    if (this.#tokens.refresh_token === undefined) delete this.#tokens.refresh_token;
    this.#tokensExpireAt = tokens.expires_in !== undefined ? Date.now() + tokens.expires_in * 1000 : undefined;
    // RFC 6749 §5.1: no `scope` in the response means the requested scope was granted as is.
    const granted = tokens.scope !== undefined ? parseScopes(tokens.scope) : this.#lastRequestedScopes();
    this.#grantedScopes = granted;
  }

  /** Scopes of the current access token, as the token response reported them. */
  get grantedScopes(): readonly string[] {
    return this.#grantedScopes;
  }

  /** When the current access token expires (ms since epoch), if the server said. */
  get accessTokenExpiresAt(): number | undefined {
    return this.#tokensExpireAt;
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    let scope = parseScopes(authorizationUrl.searchParams.get('scope'));
    if (this.#initialScope !== undefined && this.authorizationUrls.length === 0 && !this.#tokens) {
      scope = parseScopes(this.#initialScope);
    }
    if (this.#accumulateScopes) scope = parseScopes(unionScopes(this.#grantedScopes, scope));
    if (scope.length) authorizationUrl.searchParams.set('scope', scope.join(' '));
    else authorizationUrl.searchParams.delete('scope');
    // The SDK's rule for the scope it built, kept for the scope set here: OpenID Connect grants
    // offline_access only with prompt=consent (oidc-provider drops it otherwise).
    const prompts = parseScopes(authorizationUrl.searchParams.get('prompt'));
    if (scope.includes('offline_access') && !prompts.includes('consent')) {
      authorizationUrl.searchParams.set('prompt', [...prompts, 'consent'].join(' '));
    }

    this.authorizationUrls.push(new URL(authorizationUrl));
    this.#pendingCode = undefined;
    if (this.#authorize) this.#pendingCode = await this.#authorize(authorizationUrl);
  }

  /** The code obtained by the last automatic authorization, handed out once. */
  takeAuthorizationCode(): string | undefined {
    const code = this.#pendingCode;
    this.#pendingCode = undefined;
    return code;
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.#codeVerifier = codeVerifier;
  }

  codeVerifier(): string {
    if (!this.#codeVerifier) throw new Error('No PKCE code verifier saved');
    return this.#codeVerifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.#discoveryState = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.#discoveryState;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'client') this.#clientInformation = undefined;
    if (scope === 'all' || scope === 'tokens') {
      this.#tokens = undefined;
      this.#tokensExpireAt = undefined;
      this.#grantedScopes = [];
    }
    if (scope === 'all' || scope === 'verifier') this.#codeVerifier = undefined;
    if (scope === 'all' || scope === 'discovery') this.#discoveryState = undefined;
  }

  #lastRequestedScopes(): string[] {
    const last = this.authorizationUrls.at(-1);
    return parseScopes(last?.searchParams.get('scope'));
  }
}
