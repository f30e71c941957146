/**
 * Loads oidc-provider with its development-time notices filtered out.
 *
 * oidc-provider prints a few warnings that are meant for people deploying it for real: it asks for
 * a Node 22 LTS runtime when imported on Node 20, and warns that the in-memory adapter loses state
 * on restart. Both are exactly what a throw-away development server wants, so printing them on
 * every `npm start` and test run would only train people to ignore its output. Only these known
 * messages are dropped; any other oidc-provider warning still reaches the console.
 */

const DEV_ONLY_NOTICES: readonly RegExp[] = [/Unsupported runtime/, /development-only in-memory adapter/];

// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the ANSI colour codes this strips
const ANSI_ESCAPES = /\x1b\[[0-9;]*m/g;

function isDevOnlyNotice(args: unknown[]): boolean {
  const [first] = args;
  if (typeof first !== 'string') return false;
  const text = first.replace(ANSI_ESCAPES, '');
  return text.startsWith('oidc-provider ') && DEV_ONLY_NOTICES.some((pattern) => pattern.test(text));
}

let filterDepth = 0;
let originalWarn: typeof console.warn | undefined;

/** Runs `fn` while the known development-only oidc-provider notices are suppressed. */
export async function withoutDevNotices<T>(fn: () => T | Promise<T>): Promise<T> {
  // A depth counter keeps overlapping calls (parallel test servers) from restoring a wrapper.
  if (filterDepth++ === 0) {
    const warn = console.warn;
    originalWarn = warn;
    console.warn = (...args: unknown[]) => {
      if (!isDevOnlyNotice(args)) warn.apply(console, args);
    };
  }
  try {
    return await fn();
  } finally {
    if (--filterDepth === 0 && originalWarn) {
      console.warn = originalWarn;
      originalWarn = undefined;
    }
  }
}

/** Imports oidc-provider (once; later calls reuse the module) without its runtime-version notice. */
export function loadOidcProvider(): Promise<typeof import('oidc-provider')> {
  return withoutDevNotices(() => import('oidc-provider'));
}
