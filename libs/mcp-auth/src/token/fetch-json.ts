/** Largest JSON document read from an authorization server, in bytes, unless told otherwise. */
export const DEFAULT_MAX_JSON_BYTES = 1024 * 1024;

/** Why a request to an authorization server did not yield JSON. */
export type FetchJsonFailure = 'network' | 'timeout' | 'redirect' | 'status' | 'too-large' | 'not-json';

/**
 * A request for a JSON document failed. `reason` is written for a configuration error message or a log
 * (it names the status, the timeout or the network error) and never contains the request body.
 */
export class FetchJsonError extends Error {
  constructor(
    readonly url: string,
    readonly failure: FetchJsonFailure,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${url}: ${reason}`, options);
    this.name = 'FetchJsonError';
  }
}

/** Options of {@link fetchJson}. */
export interface FetchJsonOptions {
  /** The whole exchange (headers and body) must finish within this many ms. */
  timeoutMs: number;
  /** Larger responses are refused. Default {@link DEFAULT_MAX_JSON_BYTES}. */
  maxBytes?: number;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Method, headers and body; `redirect` and `signal` are always set here. */
  init?: Omit<RequestInit, 'redirect' | 'signal'>;
}

/**
 * Fetches a URL and parses its body as JSON, bounded in time and size.
 *
 * Redirects are not followed: the URLs this library calls (discovery, JWKS, introspection) come from
 * configuration or from verified metadata, and a redirect would send the request — possibly with client
 * credentials — somewhere nobody configured. Any non-2xx status is a failure.
 *
 * @throws FetchJsonError whatever goes wrong.
 */
export async function fetchJson(url: string, options: FetchJsonOptions): Promise<unknown> {
  const { timeoutMs, maxBytes = DEFAULT_MAX_JSON_BYTES, fetch: fetchImpl = fetch, init } = options;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    let response: Response;
    try {
      response = await fetchImpl(url, { ...init, redirect: 'manual', signal });
    } catch (error) {
      throw new FetchJsonError(url, 'network', `network error (${describe(error)})`, { cause: error });
    }
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      const target = location ? ` to ${location}` : '';
      throw new FetchJsonError(
        url,
        'redirect',
        `redirected (HTTP ${response.status}${target}); redirects are not followed`,
      );
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new FetchJsonError(url, 'status', `HTTP ${response.status}`);
    }
    const text = await readBounded(url, response, maxBytes);
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new FetchJsonError(url, 'not-json', 'the response is not JSON', { cause: error });
    }
  } catch (error) {
    // The timeout may fire while the body is being read, surfacing as any of the errors above (or a bare
    // DOMException): report it as what it is.
    if (signal.aborted) {
      throw new FetchJsonError(url, 'timeout', `no complete response within ${timeoutMs} ms`, { cause: error });
    }
    if (error instanceof FetchJsonError) throw error;
    throw new FetchJsonError(url, 'network', `network error (${describe(error)})`, { cause: error });
  }
}

async function readBounded(url: string, response: Response, maxBytes: number): Promise<string> {
  const tooLarge = () => new FetchJsonError(url, 'too-large', `the response is larger than ${maxBytes} bytes`);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Bounded: each chunk adds to `total`, and the loop stops as soon as it passes `maxBytes`.
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch (error) {
    throw new FetchJsonError(url, 'not-json', 'the response is not UTF-8 JSON', { cause: error });
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici reports "fetch failed" and hides the useful part (ECONNREFUSED, ENOTFOUND...) in `cause`.
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return detail ? `${error.message}: ${detail}` : error.message;
}
