import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectWithToken, INITIALIZE, postMcp } from './support/mcp-client.js';
import { ADAPTERS, appWithIssuerForSuite } from './support/test-app.js';

const PING = { jsonrpc: '2.0', id: 2, method: 'ping' };

for (const adapter of ADAPTERS) {
  describe(`Stateful sessions: owners and caps (${adapter})`, () => {
    const setup = appWithIssuerForSuite({
      adapter,
      mcp: { mode: 'stateful', maxSessions: 16, maxSessionsPerSubject: 3 },
    });
    const token = (claims: Record<string, unknown>) =>
      setup.issuer.mint({ aud: setup.app.mcpUrl, scope: 'tools:use', ...claims });
    /** Opens a session with a raw initialize; returns its id (or the refusal's status). */
    const open = async (bearer: string) => {
      const response = await postMcp(setup.app.mcpUrl, INITIALIZE, { authorization: `Bearer ${bearer}` });
      return { status: response.status, id: response.headers.get('mcp-session-id') ?? undefined, text: response.text };
    };
    const ping = async (bearer: string, sessionId: string) =>
      (await postMcp(setup.app.mcpUrl, PING, { authorization: `Bearer ${bearer}`, 'mcp-session-id': sessionId }))
        .status;

    it('caps one owner at maxSessionsPerSubject, closing their least recently used session, so others still get in', async () => {
      const mallory = await token({ sub: 'mallory' });
      const sessions: string[] = [];
      for (let i = 0; i < 20; i++) {
        const opened = await open(mallory);
        assert.equal(opened.status, 200, opened.text);
        sessions.push(opened.id!);
      }
      // Only mallory's three newest sessions are alive; the store was never filled.
      const alive = await Promise.all(sessions.map((id) => ping(mallory, id)));
      assert.deepEqual(alive.slice(-3), [200, 200, 200]);
      assert.ok(alive.slice(0, -3).every((status) => status === 404));

      const alice = await token({ sub: 'alice' });
      const { client, transport } = await connectWithToken(setup.app.mcpUrl, alice);
      assert.ok(transport.sessionId);
      await transport.terminateSession();
      await client.close();
    });

    it('keeps a session the owner uses: the least recently used one goes, not the oldest', async () => {
      const carol = await token({ sub: 'carol' });
      const [first, second, third] = [await open(carol), await open(carol), await open(carol)];
      assert.equal(await ping(carol, first.id!), 200); // first is now the most recently used
      const fourth = await open(carol);
      assert.equal(fourth.status, 200);
      assert.deepEqual(
        await Promise.all([first, second, third, fourth].map(({ id }) => ping(carol, id!))),
        [200, 404, 200, 200],
      );
    });

    it('compares owners field by field: a subject spelled like another client id owns nothing of that client', async () => {
      const service = await token({ sub: undefined, client_id: 'svc' });
      const impostor = await token({ sub: 'client:svc', client_id: 'other' });
      const sameSubOtherClient = await token({ sub: undefined, client_id: 'svc-2' });
      const opened = await open(service);
      assert.equal(opened.status, 200);
      assert.equal(await ping(impostor, opened.id!), 404);
      assert.equal(await ping(sameSubOtherClient, opened.id!), 404);
      assert.equal(await ping(service, opened.id!), 200);
    });

    it('binds the client too: the same user through another client gets 404', async () => {
      const viaA = await token({ sub: 'dave', client_id: 'app-a' });
      const viaB = await token({ sub: 'dave', client_id: 'app-b' });
      const opened = await open(viaA);
      assert.equal(await ping(viaB, opened.id!), 404);
      assert.equal(await ping(viaA, opened.id!), 200);
    });

    it('refuses a batch that uses one request id twice, running none of it, and empty or oversized batches, as in stateless mode', async () => {
      const erin = await token({ sub: 'erin' });
      const opened = await open(erin);
      assert.equal(opened.status, 200, opened.text);
      const call = (name: string) => ({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name, arguments: {} } });
      const runs = setup.app.probe.runs.length;
      const response = await postMcp(setup.app.mcpUrl, [call('identity'), call('identity')], {
        authorization: `Bearer ${erin}`,
        'mcp-session-id': opened.id!,
      });
      assert.equal(response.status, 400);
      assert.match(response.text, /duplicate request ids/);
      assert.equal(setup.app.probe.runs.length, runs, 'the identity tool did not run');
      for (const batch of [[], Array.from({ length: 101 }, (_, i) => ({ ...PING, id: i }))]) {
        const sized = await postMcp(setup.app.mcpUrl, batch, {
          authorization: `Bearer ${erin}`,
          'mcp-session-id': opened.id!,
        });
        assert.equal(sized.status, 400, `a batch of ${batch.length}`);
        assert.match(sized.text, /a batch holds 1 to 100 messages/);
      }
      assert.equal(await ping(erin, opened.id!), 200, 'the session itself is still served');
    });

    it('refuses to open a session for a token that names neither a subject nor a client', async () => {
      const nobody = await token({ sub: undefined, client_id: undefined });
      const refused = await open(nobody);
      assert.equal(refused.status, 403);
      assert.equal(refused.id, undefined);
      assert.match(refused.text, /names no subject or client/);
    });
  });
}
