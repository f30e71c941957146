import type { INestApplication } from '@nestjs/common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { McpAuthModuleOptions, ProtectedResourceOptions } from '../options/mcp-auth-options.interface.js';
import { freePort } from './free-port.js';
import { type LocalIssuer, startLocalIssuer } from './local-issuer.js';
import { type ParsedChallenge, parseWwwAuthenticate } from './www-authenticate.js';

/** Who a test token is for: claims of the access token the kit mints. */
export interface TestIdentity {
  /** `sub`. Default `test-user`. */
  subject?: string;
  /** Granted scopes (`scope`). Default none. */
  scopes?: string[];
  /** Any other claim (`client_id`, `exp`...). */
  claims?: Record<string, unknown>;
}

/** How the server answered a refused MCP request: the status and its parsed challenge. */
export interface McpRefusal {
  status: number;
  /** `invalid_token`, `insufficient_scope`... or `undefined` for a challenge without one (no credentials). */
  error?: string;
  /** The scopes the challenge names. */
  scopes: string[];
  description?: string;
  resourceMetadata?: string;
  /** Every challenge of the `WWW-Authenticate` header. */
  challenges: ParsedChallenge[];
}

/**
 * Tests an MCP server built with `McpAuthModule` over real HTTP: a throw-away issuer, tokens with the scopes
 * and subject a test asks for, official SDK clients, and refusals described (status, error, scopes).
 *
 * @example
 * ```ts
 * const kit = await McpTestKit.start();
 * const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
 *   .overrideProvider(MCP_AUTH_MODULE_OPTIONS)
 *   .useValue(kit.moduleOptions({ scopesSupported: ['notes:read', 'notes:write'] }))
 *   .compile();
 * await kit.listen(moduleRef.createNestApplication());
 * const alice = await kit.connect({ subject: 'alice', scopes: ['notes:read'] });
 * const refused = await kit.refusal(alice.callTool({ name: 'add_note', arguments: { text: 'x' } }));
 * assert.deepEqual([refused.status, refused.scopes], [403, ['notes:write']]);
 * await kit.close();
 * ```
 */
export class McpTestKit {
  private app?: INestApplication;
  private readonly clients = new Set<Client>();
  /** Every refused HTTP request of the kit's clients, oldest first. */
  private readonly refusals: McpRefusal[] = [];

  private constructor(
    /** The throw-away authorization server (mint your own tokens with `issuer.mint`). */
    readonly issuer: LocalIssuer,
    /** `http://127.0.0.1:<port>`: where `listen` serves the app. */
    readonly baseUrl: string,
    /** The MCP endpoint: the protected resource, and the audience of the kit's tokens. */
    readonly mcpUrl: string,
  ) {}

  /** Starts the issuer and reserves a port. `mcpPath`: the app's `mcp.path` (default `/mcp`). */
  static async start(options: { mcpPath?: string } = {}): Promise<McpTestKit> {
    const [issuer, port] = await Promise.all([startLocalIssuer(), freePort()]);
    const baseUrl = `http://127.0.0.1:${port}`;
    return new McpTestKit(issuer, baseUrl, `${baseUrl}${options.mcpPath ?? '/mcp'}`);
  }

  /**
   * `McpAuthModule` options for the app under test: one resource at `mcpUrl` trusting the kit's issuer, with
   * `resource` (scopes, requiredScopes...) and the other options (`mcp`, `dpop`...) merged in.
   */
  moduleOptions(
    resource: Omit<Partial<ProtectedResourceOptions>, 'resource' | 'authorizationServers'> = {},
    options: Omit<McpAuthModuleOptions, 'resources'> = {},
  ): McpAuthModuleOptions {
    return {
      ...options,
      mcp: { path: new URL(this.mcpUrl).pathname, ...options.mcp },
      resources: [{ ...resource, resource: this.mcpUrl, authorizationServers: [{ issuer: this.issuer.issuer }] }],
    };
  }

  /** Serves `app` at `baseUrl`. The kit closes it in `close()`. */
  async listen(app: INestApplication): Promise<INestApplication> {
    this.app = app;
    await app.listen(new URL(this.baseUrl).port, '127.0.0.1');
    return app;
  }

  /** An access token for the app, signed by the kit's issuer. */
  token(identity: TestIdentity = {}): Promise<string> {
    return this.issuer.mint({
      sub: identity.subject ?? 'test-user',
      aud: this.mcpUrl,
      scope: (identity.scopes ?? []).join(' '),
      client_id: 'test-client',
      ...identity.claims,
    });
  }

  /**
   * An official SDK client, connected (`initialize` done) with a token for `identity`, or with `token`, or
   * with none at all (`{ token: null }`: then connecting is refused, see `refusal`). The kit closes it.
   */
  async connect(identity: TestIdentity | { token: string | null } = {}): Promise<Client> {
    const token = 'token' in identity ? identity.token : await this.token(identity);
    const recording: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      // Refusals carry a challenge; other errors (405 for the GET stream a stateless server does not offer) do not.
      if (response.headers.has('www-authenticate')) this.refusals.push(describeRefusal(response));
      return response;
    };
    const transport = new StreamableHTTPClientTransport(new URL(this.mcpUrl), {
      requestInit: token === null ? {} : { headers: { Authorization: `Bearer ${token}` } },
      fetch: recording,
    });
    const client = new Client({ name: 'nest-mcp-auth test kit', version: '1.0.0' });
    this.clients.add(client);
    await client.connect(transport);
    return client;
  }

  /**
   * Awaits `call` (a request of one of the kit's clients, or `connect`), which must be refused over HTTP, and
   * describes the refusal: status, error, the scopes the challenge names. Run refused calls one at a time.
   */
  async refusal(call: Promise<unknown>): Promise<McpRefusal> {
    const before = this.refusals.length;
    const outcome = await call.then(
      () => 'succeeded',
      () => 'failed',
    );
    if (outcome === 'succeeded') throw new Error('expected the request to be refused, but it succeeded');
    const refusal = this.refusals[before];
    if (!refusal) throw new Error('the request failed without an HTTP refusal');
    return refusal;
  }

  /** Closes the clients, the app and the issuer. */
  async close(): Promise<void> {
    await Promise.all([...this.clients].map((client) => client.close().catch(() => undefined)));
    await this.app?.close();
    await this.issuer.close();
  }
}

function describeRefusal(response: Response): McpRefusal {
  const challenges = parseWwwAuthenticate(response.headers.get('www-authenticate') ?? '');
  const params = challenges.find((challenge) => challenge.params.error !== undefined)?.params ?? challenges[0]?.params;
  return {
    status: response.status,
    error: params?.error,
    scopes: params?.scope ? params.scope.split(' ') : [],
    description: params?.error_description,
    resourceMetadata: params?.resource_metadata,
    challenges,
  };
}
