import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

/** One HTTP request/response seen by {@link createTracingFetch}. */
export interface HttpExchange {
  method: string;
  url: URL;
  /** The request body when it was a string or form (the SDK's OAuth requests are). */
  requestBody?: string;
  status: number;
  headers: Headers;
  /** Parses a copy of the response body as JSON (undefined if it is not JSON). */
  json(): Promise<unknown>;
}

/**
 * Wraps fetch so every exchange is reported to `onExchange` before the caller sees the response —
 * used by the demo client to narrate what the SDK does. The listener is awaited, so its output
 * keeps the order of the requests. The response body is only copied when `json()` is called,
 * so streams the listener ignores (MCP's SSE responses) are not duplicated.
 */
export function createTracingFetch(
  onExchange: (exchange: HttpExchange) => void | Promise<void>,
  base: FetchLike = fetch,
): FetchLike {
  return async (url, init) => {
    const response = await base(url, init);
    const body = init?.body;
    await onExchange({
      method: (init?.method ?? 'GET').toUpperCase(),
      url: new URL(url),
      requestBody: typeof body === 'string' || body instanceof URLSearchParams ? body.toString() : undefined,
      status: response.status,
      headers: response.headers,
      json: () =>
        response
          .clone()
          .json()
          .catch(() => undefined),
    });
    return response;
  };
}
