/** One challenge of a `WWW-Authenticate` header: its scheme and parameters. */
export interface ParsedChallenge {
  scheme: string;
  params: Record<string, string>;
}

const PARAM = /\s*([A-Za-z0-9_\-.]+)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
const SCHEME = /\s*([A-Za-z][A-Za-z0-9!#$%&'*+\-.^_`|~]*)(?:\s+|$)/y;

/**
 * Splits a `WWW-Authenticate` value into its challenges (`Bearer error="…", scope="…", DPoP algs="…"`),
 * quoted-string parameters unescaped. For tests: it reads what this library writes (every value quoted).
 */
export function parseWwwAuthenticate(header: string): ParsedChallenge[] {
  const challenges: ParsedChallenge[] = [];
  let position = 0;
  // Bounded: every iteration consumes at least one character or stops.
  while (position < header.length) {
    SCHEME.lastIndex = position;
    const scheme = SCHEME.exec(header);
    if (!scheme) break;
    const challenge: ParsedChallenge = { scheme: scheme[1], params: {} };
    challenges.push(challenge);
    position = SCHEME.lastIndex;
    for (;;) {
      PARAM.lastIndex = position;
      const param = PARAM.exec(header);
      if (!param) break;
      challenge.params[param[1].toLowerCase()] = param[2].replace(/\\(.)/g, '$1');
      position = PARAM.lastIndex;
    }
  }
  return challenges;
}
