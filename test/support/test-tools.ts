import { Injectable } from '@nestjs/common';
import { ListRootsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import {
  Auth,
  type AuthInfo,
  McpAuthContext,
  McpContext,
  McpRequestContext,
  McpTool,
  type McpToolContext,
  RequireScopes,
  ToolArgs,
  ToolContext,
} from 'nest-mcp-auth';

/** Records what tools saw, so tests can assert on it (and that a refused tool never ran). */
@Injectable()
export class ToolProbe {
  readonly runs: string[] = [];
  lastAuth?: { fromDecorator?: AuthInfo; fromContext?: AuthInfo };
}

/** Tools exercising every feature the end-to-end tests check. */
@Injectable()
@RequireScopes('tools:use')
export class TestTools {
  constructor(
    private readonly probe: ToolProbe,
    private readonly context: McpAuthContext,
  ) {}

  @McpTool({ name: 'identity', description: 'Reports the caller seen through both injection paths' })
  identity(@Auth() auth: AuthInfo) {
    this.probe.runs.push('identity');
    this.probe.lastAuth = { fromDecorator: auth, fromContext: this.context.authInfo };
    return { subject: auth.subject ?? null, viaContext: this.context.authInfo?.subject ?? null, scopes: auth.scopes };
  }

  @McpTool({ name: 'request_headers', description: 'Lists the request header names the tool can see' })
  requestHeaders(@ToolContext() context: McpToolContext): string {
    return Object.keys(context.requestInfo?.headers ?? {})
      .sort()
      .join(' ');
  }

  @McpTool({ name: 'admin_only', description: 'Needs the admin scope on top of the class scope' })
  @RequireScopes('admin')
  adminOnly(): string {
    this.probe.runs.push('admin_only');
    return 'admin done';
  }

  @McpTool({ name: 'fail', description: 'Always throws' })
  fail(): never {
    this.probe.runs.push('fail');
    throw new Error('the tool broke on purpose');
  }

  @McpTool({ name: 'bad_result', description: 'Returns a malformed CallToolResult' })
  badResult(): unknown {
    return { content: [{ type: 'not-a-content-type' }] };
  }

  @McpTool({ name: 'add', description: 'Adds two numbers', input: { a: z.number(), b: z.number() } })
  add(@ToolArgs() { a, b }: { a: number; b: number }) {
    return { sum: a + b };
  }

  @McpTool({ name: 'wait_for_abort', description: 'Waits (at most 5 s) until the request is aborted' })
  async waitForAbort(@ToolContext() context: McpToolContext): Promise<string> {
    this.probe.runs.push('wait_for_abort');
    const aborted = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5000);
      context.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (aborted) this.probe.runs.push('aborted');
    return aborted ? 'aborted' : 'not aborted';
  }

  @McpTool({ name: 'client_roots', description: 'Asks the client for its roots (a server-to-client request)' })
  async clientRoots(@ToolContext() context: McpToolContext): Promise<string> {
    const { roots } = await context.sendRequest({ method: 'roots/list' }, ListRootsResultSchema, { timeout: 5000 });
    return roots.map((root) => root.uri).join(', ');
  }

  @McpTool({
    name: 'count_with_progress',
    description: 'Sends progress notifications',
    input: { steps: z.number().int().min(1).max(5) },
  })
  async countWithProgress(@ToolArgs('steps') steps: number, @ToolContext() context: McpToolContext): Promise<string> {
    for (let step = 1; step <= steps; step++) await context.progress(step, steps, `step ${step}`);
    return `counted to ${steps}`;
  }

  @McpTool({ name: 'log_levels', description: 'Logs one message at each of four levels' })
  async logLevels(@McpContext() context: McpRequestContext): Promise<string> {
    for (const level of ['debug', 'info', 'warning', 'error'] as const) await context.log(level, { level }, 'test');
    return 'logged';
  }

  @McpTool({ name: 'ask_user', description: 'Asks the user for a colour (elicitation)' })
  async askUser(@McpContext() context: McpRequestContext): Promise<string> {
    const answer = await context.elicit('Favourite colour?', {
      type: 'object',
      properties: { colour: { type: 'string', enum: ['red', 'green', 'blue'] } },
      required: ['colour'],
    });
    return answer.action === 'accept' ? `colour ${String(answer.content?.colour)}` : `no colour (${answer.action})`;
  }

  @McpTool({ name: 'ask_model', description: 'Asks the client model for a haiku (sampling)' })
  async askModel(@McpContext() context: McpRequestContext): Promise<string> {
    const answer = await context.createMessage({
      messages: [{ role: 'user', content: { type: 'text', text: 'A haiku about scopes' } }],
      maxTokens: 50,
    });
    return `${answer.model}: ${answer.content.type === 'text' ? answer.content.text : answer.content.type}`;
  }
}
