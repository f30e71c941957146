// What counts as a right answer: one sample request per row checked in full before any load (so a
// fast-but-wrong server cannot win), and every response status of every load run counted.
import { TOOLS_CALL_BODY, mcpHeaders, type LoadResult } from './common.js';
import type { RowState } from './rows.js';

const SAMPLE_TIMEOUT_MS = 10_000;

/** Parses a Streamable HTTP response body (JSON or SSE) into its JSON-RPC messages. */
function parseMcpBody(contentType: string, text: string): unknown[] {
  if (contentType.includes('text/event-stream')) {
    const messages: unknown[] = [];
    for (const event of text.split(/\r?\n\r?\n/)) {
      const data = event
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) messages.push(JSON.parse(data));
    }
    return messages;
  }
  const parsed = JSON.parse(text) as unknown;
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** Sends the row's request once and checks status, challenge or tool result. Returns the problem, or undefined. */
export async function validateSample(row: RowState): Promise<string | undefined> {
  const response = await fetch(row.url!, {
    method: 'POST',
    headers: mcpHeaders(row.credentials?.sample),
    body: TOOLS_CALL_BODY,
    signal: AbortSignal.timeout(SAMPLE_TIMEOUT_MS),
  });
  const text = await response.text();
  const snippet = text.slice(0, 200).replace(/\s+/g, ' ');
  if (response.status !== row.spec.expectStatus) {
    return `sample request: expected ${row.spec.expectStatus}, got ${response.status} (${snippet})`;
  }
  if (row.spec.expectStatus === 401) {
    const challenge = response.headers.get('www-authenticate') ?? '';
    return /^Bearer\b/i.test(challenge)
      ? undefined
      : `sample 401 lacks a Bearer WWW-Authenticate challenge (got ${JSON.stringify(challenge)})`;
  }
  let messages: unknown[];
  try {
    messages = parseMcpBody(response.headers.get('content-type') ?? '', text);
  } catch {
    return `sample response is neither JSON nor SSE: ${snippet}`;
  }
  const reply = messages.find(
    (m): m is { id: unknown; result?: { isError?: boolean; content?: { type?: string; text?: string }[] } } =>
      typeof m === 'object' && m !== null && (m as { id?: unknown }).id === 1,
  );
  if (!reply?.result) return `sample response has no JSON-RPC result for id 1: ${snippet}`;
  if (reply.result.isError) return `sample tools/call returned isError: ${snippet}`;
  const texts = (reply.result.content ?? []).filter((c) => c.type === 'text').map((c) => c.text ?? '');
  if (!texts.some((t) => t.includes(row.spec.expectText!))) {
    return `sample tool result does not contain ${JSON.stringify(row.spec.expectText)}: ${snippet}`;
  }
  return undefined;
}

/** Why a load run is not acceptable (an unexpected status, a socket error, nothing completed), or undefined. */
export function roundProblem(row: RowState, result: LoadResult): string | undefined {
  const expected = String(row.spec.expectStatus);
  const unexpected = Object.entries(result.statuses).filter(([status, count]) => status !== expected && count > 0);
  if (unexpected.length > 0) return `unexpected statuses ${unexpected.map(([s, c]) => `${s}×${c}`).join(', ')}`;
  if (result.errors > 0 || result.timeouts > 0) return `${result.errors} socket errors (${result.timeouts} timeouts)`;
  if (result.requests === 0) return 'no response completed';
  if (result.poolUsed !== undefined && result.poolSize !== undefined && result.poolUsed > result.poolSize) {
    return `${result.poolUsed} requests for ${result.poolSize} credentials: some repeated (raise BENCH_MAX_RPS)`;
  }
  return undefined;
}
