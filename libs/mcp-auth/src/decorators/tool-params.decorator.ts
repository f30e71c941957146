import { addToolParam } from './tool-param.metadata.js';

/**
 * Injects the validated tool arguments (or one argument by name) into an `@McpTool` method.
 *
 * @example
 * ```ts
 * @McpTool({ name: 'add_note', input: { text: z.string() } })
 * add(@ToolArgs('text') text: string) {}
 * ```
 */
export function ToolArgs(field?: string): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (propertyKey !== undefined) addToolParam(target, propertyKey, { index, kind: 'args', field });
  };
}

/**
 * Injects the MCP SDK request context (`RequestHandlerExtra`) into an `@McpTool` method: the abort
 * `signal`, `sendNotification` (e.g. progress), `sendRequest`, `sessionId`, `requestId` and `_meta`.
 *
 * @example
 * ```ts
 * @McpTool({ name: 'slow' })
 * async slow(@ToolContext() context: McpToolContext) {
 *   await context.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: 1 } });
 * }
 * ```
 */
export function ToolContext(): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (propertyKey !== undefined) addToolParam(target, propertyKey, { index, kind: 'context' });
  };
}
