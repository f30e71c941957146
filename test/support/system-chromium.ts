import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser; `CHROMIUM_PATH` points elsewhere. */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** The system browser for the real-browser tests, or why there is none. */
export type SystemChromium = { executablePath: string; missing?: undefined } | { missing: string };

/**
 * Finds the system Chromium (`CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`). When it is
 * missing the tests that need it skip with the returned message, unless
 * `NEST_MCP_AUTH_REQUIRE_SYSTEM_DEPS=1` (CI), where a missing browser must fail, not skip.
 */
export function findSystemChromium(env: NodeJS.ProcessEnv = process.env): SystemChromium {
  const executablePath = env.CHROMIUM_PATH || DEBIAN_CHROMIUM;
  try {
    accessSync(executablePath, constants.X_OK);
    return { executablePath };
  } catch {
    return {
      missing:
        `no Chromium at ${executablePath}: install Debian's package (apt-get install -y --no-install-recommends ` +
        'chromium) or set CHROMIUM_PATH',
    };
  }
}

/** True when missing system packages must fail the tests instead of skipping them. */
export const systemDepsRequired = (env: NodeJS.ProcessEnv = process.env) =>
  env.NEST_MCP_AUTH_REQUIRE_SYSTEM_DEPS === '1';

/** Launches the system Chromium headless through playwright-core (which downloads no browser of its own). */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, timeout: 30_000 });
}
