import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ExampleProcess, startExampleProcess } from './support/example-process.js';
import { toolText } from './support/mcp-client.js';
import { connectV2, DevLoginV2Provider, withV2StepUp } from './support/sdk-v2-oauth.js';

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

describe('npm start + the official SDK v2 client with DPoP, through the whole flow and a step-up', () => {
  let example: ExampleProcess;
  let provider: DevLoginV2Provider;
  let connection: Awaited<ReturnType<typeof connectV2>>;

  before(async () => {
    example = await startExampleProcess();
    // Grant less than asked at first sign-in, so a tool needing the declined scope must step up.
    provider = await DevLoginV2Provider.withDpop({ uncheck: ['notes:write', 'notes:admin', 'offline_access'] });
    connection = await connectV2(example.mcpUrl, provider);
  });

  after(async () => {
    await connection?.client.close();
    await example?.stop();
  });

  it('got a DPoP-bound access token (token_type DPoP, cnf.jkt = its key) and uses it', async () => {
    const tokens = provider.tokens()!;
    assert.equal(tokens.token_type.toLowerCase(), 'dpop');
    assert.equal(claimsOf(tokens.access_token).cnf.jkt, provider.dpop()!.thumbprint);
    assert.match(toolText(await connection.client.callTool({ name: 'whoami', arguments: {} })), /demo/);
  });

  it('steps up on a 403 for the declined scope and keeps what was granted', async () => {
    const before = claimsOf(provider.tokens()!.access_token).scope as string;
    assert.doesNotMatch(before, /notes:write/);
    const added = await withV2StepUp(provider, connection.transport, () =>
      connection.client.callTool({ name: 'add_note', arguments: { text: 'bound by DPoP' } }),
    );
    assert.match(toolText(added), /Added note/);
    const after = (claimsOf(provider.tokens()!.access_token).scope as string).split(' ');
    assert.ok(after.includes('notes:write') && after.includes('notes:read'), after.join(' '));
    assert.equal(provider.tokens()!.token_type.toLowerCase(), 'dpop');
    const listed = await connection.client.callTool({ name: 'list_notes', arguments: {} });
    assert.match(toolText(listed), /bound by DPoP/);
  });

  it('printed no token', () => {
    assert.doesNotMatch(example.output(), /eyJ[A-Za-z0-9_-]{20,}/);
  });
});
