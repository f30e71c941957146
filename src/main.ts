// `npm start`: the example MCP server, with an embedded development authorization server unless
// ISSUER points at a real one. Everything a newcomer needs to connect an MCP client, printed at start.
import { protectedResourceMetadataUrl } from 'nest-mcp-auth';
import { startDevAuthorizationServer } from './dev-auth-server/index.js';
import { exampleConfigFromEnv, SCOPES } from './example-config.js';
import { createExampleApp } from './example-app.js';

const fromEnv = exampleConfigFromEnv(process.env, process.env.ISSUER ?? '');
const devServer = process.env.ISSUER
  ? undefined
  : await startOrExplain('the development authorization server', 'DEV_AUTH_PORT', () =>
      startDevAuthorizationServer({
        port: Number(process.env.DEV_AUTH_PORT ?? 4000),
        resources: [{ resource: fromEnv.resourceUrl, scopes: SCOPES }],
      }),
    );
const config = { ...fromEnv, issuer: devServer?.issuer ?? fromEnv.issuer };
const app = await startOrExplain('the MCP server', 'PORT', () => createExampleApp(config));

console.log(`
  MCP server     ${config.resourceUrl}   (${config.mode})
  Metadata       ${protectedResourceMetadataUrl(config.resourceUrl)}
  Issuer         ${config.issuer}${devServer ? '   (embedded development server: the login page offers "Demo User")' : ''}
  Tools          whoami (any token), list_notes (notes:read), add_note (notes:write), import_notes (notes:write;
                 reports progress and logs), delete_all_notes (notes:admin)
  Resources      notes://{id} (notes:read; complete the id to list yours)
  Prompts        summarise_notes (notes:read; the topic argument completes from your notes' words)
  REST           GET ${new URL('/api/notes', config.resourceUrl)} (notes:read)

  Connect        npm run client                        (demo client on the official SDK: full OAuth flow)
                 npx @modelcontextprotocol/inspector   (transport "Streamable HTTP", the MCP URL above)
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await app.close();
    await devServer?.close();
    process.exit(0);
  });
}

/** A newcomer's most likely failure is a port already in use: say so, and how to pick another, not a stack. */
async function startOrExplain<T>(what: string, portVariable: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === 'EADDRINUSE' ? `its port is in use (set ${portVariable} to another one)` : String(error);
    console.error(`Could not start ${what}: ${reason}`);
    process.exit(1);
  }
}
