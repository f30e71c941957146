import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type {
  JSONRPCErrorResponse,
  JSONRPCMessage,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResultResponse,
  MessageExtraInfo,
} from '@modelcontextprotocol/sdk/types.js';

/** The SDK `Protocol`'s handlers behind the `onmessage` it gives a transport, one per kind of JSON-RPC message. */
interface ProtocolEntryPoints {
  _onrequest(request: JSONRPCRequest, extra?: MessageExtraInfo): void;
  _onnotification(notification: JSONRPCNotification): void;
  _onresponse(response: JSONRPCResultResponse | JSONRPCErrorResponse): void;
}

const entryPoints = Server.prototype as unknown as Partial<ProtocolEntryPoints>;

/**
 * Whether the installed SDK has them. They are not its public API: with an SDK that renamed them, messages go
 * through its own `onmessage`, with the same answers at the old cost (`direct-message-routing.test.ts` says
 * which path the installed SDK takes).
 */
export const ROUTES_DIRECTLY =
  typeof entryPoints._onrequest === 'function' &&
  typeof entryPoints._onnotification === 'function' &&
  typeof entryPoints._onresponse === 'function';

/**
 * Call right after `server.connect(transport)`, for a transport that hands on only messages that passed a
 * check as strict as the SDK's `JSONRPCMessageSchema` (`isJsonRpcMessage` in stateless mode, the SDK's own
 * transport in stateful mode): each message then goes straight to the server's handler for its kind.
 *
 * The `onmessage` that `connect` installed first finds out the kind with up to four zod parses of the whole
 * message, and each one that fails builds a `ZodError`, an `Error` with its stack trace: two per request, about
 * an eighth of the CPU time of a whole stateless `tools/call` (BENCHMARKS.md). The kind is already known from
 * which members the checked message has; the message object handed on is the same, as those parses only
 * chose the handler.
 */
export function routeCheckedMessagesDirectly(server: Server, transport: Transport): void {
  if (!ROUTES_DIRECTLY) return;
  const protocol = server as unknown as ProtocolEntryPoints;
  transport.onmessage = (message: JSONRPCMessage, extra?: MessageExtraInfo) => {
    if (!('method' in message)) protocol._onresponse(message);
    else if ('id' in message) protocol._onrequest(message, extra);
    else protocol._onnotification(message);
  };
}
