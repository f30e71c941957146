import { protectedResourceMetadataUrl } from 'nest-mcp-auth';
import type { DevUser } from './dev-auth-server/index.js';
import type { ExampleConfig } from './example-config.js';

/**
 * What `npm start` prints: the URLs, and, with the embedded development authorization server
 * (`signInAs` set), exactly what to type on its sign-in page and how to try a step-up from a client.
 */
export function startBanner(
  config: Pick<ExampleConfig, 'resourceUrl' | 'mode' | 'issuer'> & Partial<Pick<ExampleConfig, 'httpAdapter'>>,
  signInAs?: DevUser,
): string {
  const dev = (...lines: string[]) => (signInAs ? lines : []);
  const lines = [
    `MCP server     ${config.resourceUrl}   (${config.mode}, on ${config.httpAdapter ?? 'express'})`,
    `Metadata       ${protectedResourceMetadataUrl(config.resourceUrl)}`,
    `Issuer         ${config.issuer}${signInAs ? '   (embedded development server)' : ''}`,
    ...dev(`Sign in        type ${signInAs?.id} (or ${signInAs?.name}) on its sign-in page; there is no password`),
    'Tools          whoami (any token), list_notes (notes:read), add_note (notes:write), import_notes (notes:write;',
    '               reports progress and logs), delete_all_notes (notes:admin)',
    'Resources      notes://{id} (notes:read; complete the id to list yours)',
    "Prompts        summarise_notes (notes:read; the topic argument completes from your notes' words)",
    `REST           GET ${new URL('/api/notes', config.resourceUrl)} (notes:read)`,
    '',
    'Connect        npm run client                        (demo client on the official SDK: full OAuth flow)',
    '               npx @modelcontextprotocol/inspector   (transport "Streamable HTTP", the MCP URL above)',
    ...dev(
      'Step-up        on the consent page uncheck notes:admin, and offline_access if listed (a client holding a',
      '               refresh token renews it instead of asking again); Allow. Call delete_all_notes: 403',
      '               insufficient_scope, the client opens the consent page again; Allow, and the call succeeds.',
    ),
  ];
  return `\n${lines.map((line) => (line ? `  ${line}` : '')).join('\n')}\n`;
}
