import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** An answer as it goes on the wire: status, every header and the body's text. */
export interface JsonAnswer {
  readonly status: number;
  readonly headers: Readonly<OutgoingHttpHeaders>;
  readonly body: string;
}

/** `body` serialised, with `headers` followed by its `Content-Type` and `Content-Length`. */
export function jsonAnswer(
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders,
  contentType = 'application/json',
): JsonAnswer {
  const text = JSON.stringify(body);
  return {
    status,
    body: text,
    headers: { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) },
  };
}

/**
 * Writes `answer` with plain Node calls (no ETag, no content negotiation): the library's own answers (refusals,
 * JSON-RPC results) must stay as cheap as the requests they answer.
 */
export function writeAnswer(response: ServerResponse, answer: JsonAnswer): void {
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
}
