import type { RequestHandlerExtra, RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {
  CreateMessageRequest,
  CreateMessageResult,
  ElicitRequestFormParams,
  ElicitResult,
  LoggingLevel,
  ServerNotification,
  ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { AuthInfo } from '../../auth/auth-info.interface.js';
import { McpSessionRequiredError } from '../../errors/mcp-auth.errors.js';
import type { McpConnectionState } from './mcp-connection-state.js';

/** The SDK's per-request context, as its `Server` hands it to request handlers. */
export type McpRequestExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** How long a server-to-client request may take (`elicit`, `createMessage`); the SDK's default is 60 s. */
export type McpClientRequestOptions = Pick<RequestOptions, 'timeout' | 'maxTotalTimeout' | 'resetTimeoutOnProgress'>;

/**
 * What every MCP handler (tool, resource, template, prompt, completion) gets through `@McpContext()`: all of
 * the SDK's `RequestHandlerExtra`, plus typed helpers. One small object per request: the helpers are
 * prototype methods reading the SDK's context, not closures.
 *
 * @example
 * ```ts
 * @McpTool({ name: 'import_notes', input: { urls: z.array(z.string().url()).max(20) } })
 * async import(@McpArgs('urls') urls: string[], @McpContext() context: McpRequestContext) {
 *   for (const [i, url] of urls.entries()) {
 *     await context.progress(i, urls.length, `fetching ${url}`);
 *     await context.log('debug', { url });
 *   }
 *   const answer = await context.elicit('Tag them?', { type: 'object', properties: { tag: { type: 'string' } } });
 *   return answer.action === 'accept' ? `tagged ${String(answer.content?.tag)}` : 'not tagged';
 * }
 * ```
 */
export class McpRequestContext implements McpRequestExtra {
  /** For a completion: the values the client already chose for the other arguments. */
  readonly arguments?: Readonly<Record<string, string>>;

  constructor(
    private readonly extra: McpRequestExtra,
    private readonly connection: McpConnectionState,
    /** For a resource read: the URI being read. */
    readonly uri?: string,
    completionArguments?: Readonly<Record<string, string>>,
  ) {
    if (completionArguments !== undefined) this.arguments = completionArguments;
  }

  /** Fires when the client cancels the request or goes away. */
  get signal(): AbortSignal {
    return this.extra.signal;
  }
  /** The verified token of the request (`undefined` only with `dangerouslyDisableAuthentication`). */
  get authInfo(): AuthInfo | undefined {
    return this.extra.authInfo as AuthInfo | undefined;
  }
  /** The `Mcp-Session-Id` in stateful mode. */
  get sessionId(): string | undefined {
    return this.extra.sessionId;
  }
  get requestId(): McpRequestExtra['requestId'] {
    return this.extra.requestId;
  }
  get _meta(): McpRequestExtra['_meta'] {
    return this.extra._meta;
  }
  /** The HTTP request's headers, without `Authorization`. */
  get requestInfo(): McpRequestExtra['requestInfo'] {
    return this.extra.requestInfo;
  }
  get sendNotification(): McpRequestExtra['sendNotification'] {
    return this.extra.sendNotification;
  }
  get sendRequest(): McpRequestExtra['sendRequest'] {
    return this.extra.sendRequest;
  }
  get taskId(): McpRequestExtra['taskId'] {
    return this.extra.taskId;
  }
  get taskStore(): McpRequestExtra['taskStore'] {
    return this.extra.taskStore;
  }
  get taskRequestedTtl(): McpRequestExtra['taskRequestedTtl'] {
    return this.extra.taskRequestedTtl;
  }
  get closeSSEStream(): McpRequestExtra['closeSSEStream'] {
    return this.extra.closeSSEStream;
  }
  get closeStandaloneSSEStream(): McpRequestExtra['closeStandaloneSSEStream'] {
    return this.extra.closeStandaloneSSEStream;
  }

  /**
   * Sends a log message (`notifications/message`) on this request's stream. In stateful mode, messages below the
   * level the client set with `logging/setLevel` are dropped; in stateless mode each POST stands alone, so no
   * level is remembered and every message is sent.
   */
  log(level: LoggingLevel, data: unknown, logger?: string): Promise<void> {
    if (this.connection.ignores(level)) return Promise.resolve();
    return this.extra.sendNotification({
      method: 'notifications/message',
      params: logger === undefined ? { level, data } : { level, data, logger },
    });
  }

  /** Reports progress (`notifications/progress`); does nothing when the client asked for none (no progress token). */
  progress(progress: number, total?: number, message?: string): Promise<void> {
    const progressToken = this.extra._meta?.progressToken;
    if (progressToken === undefined) return Promise.resolve();
    const params: { progressToken: string | number; progress: number; total?: number; message?: string } = {
      progressToken,
      progress,
    };
    if (total !== undefined) params.total = total;
    if (message !== undefined) params.message = message;
    return this.extra.sendNotification({ method: 'notifications/progress', params });
  }

  /**
   * Asks the user for input through the client (`elicitation/create`, form mode). An accepted answer is
   * validated against `requestedSchema` (invalid content rejects with an invalid-params error).
   *
   * @throws McpSessionRequiredError in stateless mode, at once.
   */
  elicit(
    message: string,
    requestedSchema: ElicitRequestFormParams['requestedSchema'],
    options?: McpClientRequestOptions,
  ): Promise<ElicitResult> {
    if (!this.connection.stateful) return Promise.reject(new McpSessionRequiredError('Elicitation'));
    return this.connection.server.elicitInput({ mode: 'form', message, requestedSchema }, this.requestOptions(options));
  }

  /**
   * Asks the client's model for a completion (`sampling/createMessage`); the answer is validated.
   *
   * @throws McpSessionRequiredError in stateless mode, at once.
   */
  createMessage(
    params: CreateMessageRequest['params'],
    options?: McpClientRequestOptions,
  ): Promise<CreateMessageResult> {
    if (!this.connection.stateful) return Promise.reject(new McpSessionRequiredError('Sampling'));
    return this.connection.server.createMessage(params, this.requestOptions(options)) as Promise<CreateMessageResult>;
  }

  /** Tied to this request: it travels on the request's stream and is cancelled with it. */
  private requestOptions(options: McpClientRequestOptions | undefined): RequestOptions {
    return { ...options, relatedRequestId: this.extra.requestId, signal: this.extra.signal };
  }
}

/** The context of a tool (`@ToolContext()`); the same object every handler gets. */
export type McpToolContext = McpRequestContext;
