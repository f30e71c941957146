import {
  Client,
  DpopSession,
  type OAuthClientProvider,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import { completeDevLogin } from '../../src/oauth-flow/complete-dev-login.js';
import { CookieJar } from '../../src/oauth-flow/cookie-jar.js';

type Provider = OAuthClientProvider;
type Tokens = Awaited<ReturnType<Provider['tokens']>>;
type ClientInformation = Awaited<ReturnType<Provider['clientInformation']>>;

/**
 * An in-memory OAuth client provider for the official SDK v2 client (`@modelcontextprotocol/client`), with
 * DPoP turned on (`dpop()`), completing each authorization on the development sign-in page over HTTP.
 * Like a browser redirect, an authorization is finished by the caller with `transport.finishAuth(code)`.
 */
export class DevLoginV2Provider implements OAuthClientProvider {
  readonly authorizationUrls: URL[] = [];
  readonly redirectUrl = 'http://127.0.0.1:8976/callback';
  readonly clientMetadata = {
    client_name: 'nest-mcp-auth SDK v2 test client',
    redirect_uris: [this.redirectUrl],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
  #client: ClientInformation;
  #tokens: Tokens;
  #verifier = '';
  #pending: { code: string; iss?: string } | undefined;
  readonly #jar = new CookieJar();

  constructor(
    private readonly session: DpopSession | undefined,
    /** `uncheck`: scopes the user declines at the first sign-in (later consents grant what is asked). */
    private readonly options: { uncheck?: string[] } = {},
  ) {}

  static async withDpop(options: { uncheck?: string[] } = {}): Promise<DevLoginV2Provider> {
    return new DevLoginV2Provider(await DpopSession.create(), options);
  }

  dpop(): DpopSession | undefined {
    return this.session;
  }

  clientInformation(): ClientInformation {
    return this.#client;
  }

  saveClientInformation(information: NonNullable<ClientInformation>): void {
    this.#client = information;
  }

  tokens(): Tokens {
    return this.#tokens;
  }

  saveTokens(tokens: NonNullable<Tokens>): void {
    this.#tokens = tokens;
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    this.authorizationUrls.push(authorizationUrl);
    let iss: string | undefined;
    const code = await completeDevLogin(authorizationUrl, {
      cookieJar: this.#jar,
      user: 'demo',
      uncheck: this.authorizationUrls.length === 1 ? this.options.uncheck : undefined,
      onCallback: (callback) => (iss = callback.searchParams.get('iss') ?? undefined),
    });
    this.#pending = { code, iss };
  }

  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier;
  }

  codeVerifier(): string {
    return this.#verifier;
  }

  /** The code (and RFC 9207 `iss`) of the authorization just completed, once. */
  takeAuthorization(): { code: string; iss?: string } | undefined {
    const pending = this.#pending;
    this.#pending = undefined;
    return pending;
  }
}

/** An SDK v2 client connected to `mcpUrl` through the whole OAuth flow with `provider`. */
export async function connectV2(
  mcpUrl: string,
  provider: DevLoginV2Provider,
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const open = () => new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
  const first = open();
  try {
    const client = new Client({ name: 'sdk-v2-dpop', version: '1.0.0' });
    await client.connect(first);
    return { client, transport: first };
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
  }
  const authorization = provider.takeAuthorization();
  if (!authorization) throw new Error('the authorization produced no code');
  await first.finishAuth(authorization.code, authorization.iss);
  const transport = open();
  const client = new Client({ name: 'sdk-v2-dpop', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

/** Runs `call`; when the client stepped up (403 → a new authorization), finishes that authorization and retries. */
export async function withV2StepUp<T>(
  provider: DevLoginV2Provider,
  transport: StreamableHTTPClientTransport,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const authorization = provider.takeAuthorization();
    if (!authorization) throw error;
    await transport.finishAuth(authorization.code, authorization.iss);
    return call();
  }
}
