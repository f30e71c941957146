import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

describe('the user guide\'s "Testing your MCP server"', () => {
  it('shows exactly the example test that npm test runs (the docs cannot drift from the code)', () => {
    const readme = readFileSync('libs/mcp-auth/README.md', 'utf8');
    const block = /<!-- testing-kit-example:start -->\n```ts\n([\s\S]*?)```\n<!-- testing-kit-example:end -->/.exec(
      readme,
    );
    assert.ok(block, 'README has the testing-kit example block');
    assert.equal(block[1], readFileSync('src/notes/notes.mcp.test.ts', 'utf8'));
  });
});
