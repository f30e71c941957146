import { RELATED_TASK_META_KEY } from '@modelcontextprotocol/sdk/types.js';

const REQUEST_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);
const NOTIFICATION_KEYS = new Set(['jsonrpc', 'method', 'params']);
const RESULT_KEYS = new Set(['jsonrpc', 'id', 'result']);
const ERROR_KEYS = new Set(['jsonrpc', 'id', 'error']);

/**
 * Whether the SDK's `Server` will take `value` as a JSON-RPC message: accepts exactly what its
 * `JSONRPCMessageSchema` accepts (strict members, `params` and `result` objects with a well-formed `_meta`, safe
 * integer ids), so nothing accepted here is dropped there without an answer, which in stateless mode would leave
 * the HTTP request hanging. A hand-written check because the zod schema costs about 4% of a whole `tools/call`
 * (100,000 instructions); `json-rpc-message.check.test.ts` holds the two to the same answers. The method's own
 * parameters are still validated by the SDK against the method's schema.
 */
export function isJsonRpcMessage(value: unknown): boolean {
  if (!isObject(value)) return false;
  const message = value as Record<string, unknown>;
  if (message.jsonrpc !== '2.0') return false;
  const hasId = 'id' in message;
  if (hasId && !isRequestId(message.id)) return false;
  if ('method' in message) {
    return (
      typeof message.method === 'string' &&
      hasOnly(message, hasId ? REQUEST_KEYS : NOTIFICATION_KEYS) &&
      (message.params === undefined || isWithMeta(message.params))
    );
  }
  if ('result' in message) return hasId && hasOnly(message, RESULT_KEYS) && isWithMeta(message.result);
  if (!hasOnly(message, ERROR_KEYS) || !isObject(message.error)) return false;
  const error = message.error as Record<string, unknown>;
  return Number.isSafeInteger(error.code) && typeof error.message === 'string';
}

/** A non-null, non-array object (what a zod object schema takes). */
function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRequestId(value: unknown): boolean {
  return typeof value === 'string' || Number.isSafeInteger(value);
}

function hasOnly(message: Record<string, unknown>, allowed: Set<string>): boolean {
  for (const key in message) if (!allowed.has(key)) return false;
  return true;
}

/** `params` or `result`: an object whose `_meta`, if any, is well formed (progress token, related task). */
function isWithMeta(value: unknown): boolean {
  if (!isObject(value)) return false;
  const meta = (value as { _meta?: unknown })._meta;
  if (meta === undefined) return true;
  if (!isObject(meta)) return false;
  const { progressToken } = meta as { progressToken?: unknown };
  const relatedTask = (meta as Record<string, unknown>)[RELATED_TASK_META_KEY];
  return (
    (progressToken === undefined || isRequestId(progressToken)) &&
    (relatedTask === undefined ||
      (isObject(relatedTask) && typeof (relatedTask as { taskId?: unknown }).taskId === 'string'))
  );
}
