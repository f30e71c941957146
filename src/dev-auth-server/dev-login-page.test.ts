import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DEV_USERS } from './accounts.js';
import { offerScopes } from './consent.js';
import { renderDevLoginPage, type DevLoginPageModel } from './dev-login-page.js';
import type { DevResource } from './types.js';

const NOTES = 'http://127.0.0.1:3000/mcp';
const resources = new Map<string, DevResource>([
  [
    NOTES,
    { resource: NOTES, scopes: ['notes:read', 'notes:write'], scopeDescriptions: { 'notes:read': 'Read <all>' } },
  ],
]);
const [demo] = DEFAULT_DEV_USERS;

function render(overrides: Partial<DevLoginPageModel> = {}) {
  const offer = offerScopes(['openid', 'notes:read', 'notes:write', 'x"y'], [NOTES], resources);
  return renderDevLoginPage({
    uid: 'abc',
    client: 'MCP Inspector',
    resources: [{ indicator: NOTES, name: 'Notes' }],
    offer,
    checked: new Set(['notes:read', 'notes:write']),
    signIn: { value: 'demo' },
    users: DEFAULT_DEV_USERS,
    ...overrides,
  });
}

describe('renderDevLoginPage', () => {
  it('names the client and the resource, and describes each scope beside a pre-checked box', () => {
    const { html } = render();
    assert.match(
      html,
      /<strong>MCP Inspector<\/strong> asks for access to<\/p>\s*<ul class="resources"><li><strong>Notes<\/strong><code>http:\/\/127\.0\.0\.1:3000\/mcp<\/code><\/li><\/ul>/,
    );
    assert.match(
      html,
      /<input type="checkbox" id="scope-1" name="scope" value="notes:read" checked><span><code>notes:read<\/code><small>Read &lt;all&gt;<\/small>/,
    );
    assert.match(html, /id="scope-2" name="scope" value="notes:write" checked>/);
    assert.match(html, /<input type="checkbox" checked disabled aria-label="openid">/, 'openid is shown, not offered');
    assert.match(html, /not offered by this server: <code>x&quot;y<\/code>/);
  });

  it('keeps the "will be granted" list true to the boxes with one CSS rule per box, and no script', () => {
    const { html, css } = render({ checked: new Set(['notes:write']) });
    assert.match(
      html,
      /Will be granted: <code>openid<\/code> <code class="g-1">notes:read<\/code> <code class="g-2">notes:write<\/code>/,
    );
    assert.match(html, /value="notes:read">/, 'an unchecked box stays unchecked');
    assert.ok(css.includes('form:has(#scope-1:not(:checked)) .g-1{display:none}'));
    assert.ok(css.includes('form:has(#scope-2:not(:checked)) .g-2{display:none}'));
    assert.ok(!css.includes('#scope-0'), 'openid (fixed) has no rule');
    assert.ok(html.includes(`<style>${css}</style>`));
    assert.doesNotMatch(html, /<script|<link|@import|url\(/i);
  });

  it('asks for a user (id or name) and offers "Sign in and allow" when nobody is signed in', () => {
    const { html } = render({ signIn: { value: 'Mallory' }, error: 'Unknown user "Mallory".' });
    assert.match(html, /<input name="login" value="Mallory" list="dev-users"/);
    assert.match(html, /<option value="demo">Demo User<\/option>/);
    assert.match(html, /Type <code>demo<\/code> or <code>Demo User<\/code>/);
    assert.match(html, /role="alert">Unknown user &quot;Mallory&quot;\.</);
    assert.match(html, />Sign in and allow<\/button>/);
    assert.match(html, /value="deny" formnovalidate>Deny<\/button>/, 'Deny works with an empty user field');
  });

  it('offers "Allow" and "Deny" to a signed-in user, with no user field', () => {
    const { html } = render({ signIn: undefined, signedInAs: demo });
    assert.match(html, /<h1>Allow access\?<\/h1>/);
    assert.match(html, /Signed in as <strong>Demo User<\/strong> \(<code>demo<\/code>\)/);
    assert.match(html, /value="allow">Allow<\/button>/);
    assert.doesNotMatch(html, /name="login"|Sign in and allow/);
  });
});
