import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';

/** A client's loopback redirect URI (as native clients and the Inspector use): answers every request with a short page. */
export async function startRedirectListener(): Promise<{ redirectUri: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Done</title><p>Authorization finished; you can close this window.</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What a person does on the development sign-in / consent page. */
export interface ConsentStep {
  /** Typed into the user field when the page asks for a sign-in (id or display name). */
  user?: string;
  /** Boxes to uncheck (scopes to decline). */
  uncheck?: readonly string[];
  decision: 'allow' | 'deny';
}

/** What the page showed, and where the browser ended up. */
export interface ConsentSeen {
  heading: string;
  /** Label of the button that allows. */
  allowLabel: string;
  /** Whether the page asked for a user. */
  askedForUser: boolean;
  /** Scopes with a box, in page order, and which of them were pre-checked. */
  offered: string[];
  preChecked: string[];
  /** What the "will be granted" list shows after the changes, as rendered (hidden items left out). */
  willBeGranted: string[];
  /** The client's redirect URI as the browser reached it: `code` or `error`, and `state`. */
  callback: URL;
}

/** Opens an authorization URL in a real browser page, does `step` on the sign-in page, and follows it back to the client. */
export async function consentInBrowser(
  page: Page,
  authorizationUrl: URL,
  redirectUri: string,
  step: ConsentStep,
): Promise<ConsentSeen> {
  await page.goto(authorizationUrl.href);
  await page.locator('form').waitFor();
  const boxes = page.locator('input[name="scope"]');
  // Read in the page: the DOM's view of the boxes (no DOM types here, hence the cast).
  type Box = { value: string; checked: boolean };
  const state = await boxes.evaluateAll((inputs) =>
    (inputs as unknown as Box[]).map(({ value, checked }) => ({ value, checked })),
  );
  const offered = state.map((box) => box.value);
  const preChecked = state.filter((box) => box.checked).map((box) => box.value);
  const userField = page.locator('input[name="login"]');
  const askedForUser = (await userField.count()) > 0;
  if (askedForUser && step.user !== undefined) await userField.fill(step.user);
  for (const scope of step.uncheck ?? []) await boxes.and(page.locator(`[value="${scope}"]`)).uncheck();
  const willBeGranted = await page.locator('.granted code:visible').allInnerTexts();
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText() is the rendered text a user sees
  const heading = await page.locator('h1').innerText();
  const allow = page.locator('button[value="allow"]');
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText() is the rendered text a user sees
  const allowLabel = await allow.innerText();
  const button = step.decision === 'allow' ? allow : page.locator('button[value="deny"]');
  await Promise.all([page.waitForURL((url) => url.href.startsWith(redirectUri)), button.click()]);
  return { heading, allowLabel, askedForUser, offered, preChecked, willBeGranted, callback: new URL(page.url()) };
}

/** The code from a callback, after the checks a client makes (state unchanged, no error). */
export function codeFrom(callback: URL, authorizationUrl: URL): string {
  if (callback.searchParams.get('state') !== authorizationUrl.searchParams.get('state')) {
    throw new Error('state mismatch');
  }
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code: ${callback.searchParams.get('error') ?? 'no error either'}`);
  return code;
}
