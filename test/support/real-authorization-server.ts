import { type DevAuthorizationServer, startDevAuthorizationServer } from '../../src/dev-auth-server/index.js';
import type { DpopKey } from './dpop.js';

const SERVICE = { id: 'e2e-service', secret: 'e2e-service-secret-long-enough-0123456789abcdef' };
/** The resource server's own credentials, for token introspection (never the client's). */
export const RESOURCE_SERVER_CLIENT = {
  id: 'e2e-resource-server',
  secret: 'e2e-resource-server-secret-0123456789abcdef',
};

/** A real authorization server (oidc-provider) issuing client-credentials tokens and introspecting them, for tests. */
export interface RealAuthorizationServer {
  issuer: string;
  /**
   * An access token for `resource` with `scope` (JWT or opaque, as the resource says), via client_credentials;
   * with `dpop`, bound to that key (RFC 9449: the token request carries a proof, the token `cnf.jkt`).
   */
  token(resource: string, scope: string, dpop?: DpopKey): Promise<string>;
  close(): Promise<void>;
}

export async function startRealAuthorizationServer(
  resources: Array<{ resource: string; scopes: string[]; accessTokenFormat?: 'jwt' | 'opaque' }>,
): Promise<RealAuthorizationServer> {
  const server: DevAuthorizationServer = await startDevAuthorizationServer({
    port: 0,
    resources,
    enableClientCredentials: true,
    enableIntrospection: true,
    staticClients: [
      {
        client_id: RESOURCE_SERVER_CLIENT.id,
        client_secret: RESOURCE_SERVER_CLIENT.secret,
        grant_types: [],
        response_types: [],
        redirect_uris: [],
      },
      {
        client_id: SERVICE.id,
        client_secret: SERVICE.secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
  });
  return {
    issuer: server.issuer,
    async token(resource, scope, dpop) {
      const tokenEndpoint = `${server.issuer}/token`;
      const response = await fetch(tokenEndpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from(`${SERVICE.id}:${SERVICE.secret}`).toString('base64')}`,
          ...(dpop ? { DPoP: await dpop.proof({ htm: 'POST', htu: tokenEndpoint }) } : {}),
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope }),
      });
      const body = (await response.json()) as { access_token?: string; error?: string };
      if (!body.access_token) throw new Error(`token request failed: ${response.status} ${body.error}`);
      return body.access_token;
    },
    close: () => server.close(),
  };
}
