import { addMcpParam } from './mcp-param.metadata.js';

/**
 * Injects the arguments of an MCP handler, or one of them by name: a tool's validated arguments, a prompt's
 * validated arguments, a resource template's variables, a completion's arguments (the partial value included).
 *
 * @example
 * ```ts
 * @McpTool({ name: 'add_note', input: { text: z.string() } })
 * add(@McpArgs('text') text: string) {}
 *
 * @McpResourceTemplate({ uriTemplate: 'notes://{id}', name: 'note' })
 * note(@McpArgs('id') id: string) {}
 * ```
 */
export function McpArgs(name?: string): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (propertyKey !== undefined) addMcpParam(target, propertyKey, { index, kind: 'args', field: name });
  };
}

/**
 * Injects the request context (`McpRequestContext`) into any MCP handler: everything of the SDK's
 * `RequestHandlerExtra` (abort `signal`, `sendNotification`, `sendRequest`, `sessionId`, `requestId`, `_meta`,
 * `authInfo`, `requestInfo`) plus `log()`, `progress()`, `elicit()` and `createMessage()`.
 *
 * @example
 * ```ts
 * @McpTool({ name: 'import_notes' })
 * async import(@McpContext() context: McpRequestContext) {
 *   await context.progress(1, 2, 'halfway');
 *   await context.log('info', 'imported');
 * }
 * ```
 */
export function McpContext(): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (propertyKey !== undefined) addMcpParam(target, propertyKey, { index, kind: 'context' });
  };
}

/**
 * `@McpArgs()` under its earlier name, for tools.
 *
 * @alias
 * @example
 * ```ts
 * @McpTool({ name: 'add_note', input: { text: z.string() } })
 * add(@ToolArgs('text') text: string) {}
 * ```
 */
export const ToolArgs: (name?: string) => ParameterDecorator = McpArgs;

/**
 * `@McpContext()` under its earlier name, for tools.
 *
 * @alias
 * @example
 * ```ts
 * @McpTool({ name: 'slow' })
 * async slow(@ToolContext() context: McpToolContext) {
 *   await context.progress(1, 2);
 * }
 * ```
 */
export const ToolContext: () => ParameterDecorator = McpContext;
