// `npm start`: the example MCP server, with an embedded development authorization server unless
// ISSUER points at a real one. Everything a newcomer needs to connect an MCP client, printed at start.
import { DEFAULT_DEV_USERS, startDevAuthorizationServer } from './dev-auth-server/index.js';
import { exampleConfigFromEnv, RESOURCE_NAME, SCOPE_DESCRIPTIONS, SCOPES } from './example-config.js';
import { createExampleApp } from './example-app.js';
import { startBanner } from './start-banner.js';

const fromEnv = configOrExplain(() => exampleConfigFromEnv(process.env, process.env.ISSUER ?? ''));
const devServer = process.env.ISSUER
  ? undefined
  : await startOrExplain('the development authorization server', 'DEV_AUTH_PORT', () =>
      startDevAuthorizationServer({
        port: Number(process.env.DEV_AUTH_PORT ?? 4000),
        resources: [
          { resource: fromEnv.resourceUrl, scopes: SCOPES, name: RESOURCE_NAME, scopeDescriptions: SCOPE_DESCRIPTIONS },
        ],
      }),
    );
const config = { ...fromEnv, issuer: devServer?.issuer ?? fromEnv.issuer };
const app = await startOrExplain('the MCP server', 'PORT', () => createExampleApp(config));

console.log(startBanner(config, devServer ? DEFAULT_DEV_USERS[0] : undefined));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await app.close();
    await devServer?.close();
    process.exit(0);
  });
}

/** A mistyped variable (HTTP_ADAPTER=fastfy) is said in one line, not with a stack. */
function configOrExplain<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    console.error(`Could not start: ${(error as Error).message}`);
    process.exit(1);
  }
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
