import type { ServerResponse } from 'node:http';
import { jsonAnswer, writeAnswer } from '../http/json-answer.js';
import type { TransportRefusal } from './streamable-http.checks.js';

/** Ends `response` with a JSON body (status and extra headers given), unless it was already answered. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) return;
  writeAnswer(response, jsonAnswer(status, body, headers));
}

/**
 * A transport-level refusal as a JSON-RPC error. It echoes the request's `id` when the body was one request
 * with a usable id (a client can then match the answer to what it sent), else `id: null`.
 */
export function sendRefusal(
  response: ServerResponse,
  refusal: TransportRefusal,
  headers?: Record<string, string>,
  body?: unknown,
): void {
  const error: { code: number; message: string; data?: unknown } = { code: refusal.code, message: refusal.message };
  if (refusal.data !== undefined) error.data = refusal.data;
  sendJson(response, refusal.status, { jsonrpc: '2.0', id: requestIdOf(body), error }, headers);
}

/** The `id` of a body that is a single JSON-RPC message with a string or integer id; `null` otherwise. */
function requestIdOf(body: unknown): string | number | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const id = (body as { id?: unknown }).id;
  return typeof id === 'string' || Number.isInteger(id) ? (id as string | number) : null;
}
