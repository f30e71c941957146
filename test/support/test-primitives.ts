import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import {
  Auth,
  type AuthInfo,
  McpArgs,
  McpAuthContext,
  McpCompletion,
  McpContext,
  McpPrompt,
  McpRequestContext,
  McpResource,
  McpResourceTemplate,
  RequireScopes,
} from 'nest-mcp-auth';
import { ToolProbe } from './test-tools.js';

export const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);
export const NOTES: Readonly<Record<string, string>> = { '1': 'buy tea', '12': 'call Ada', '2': 'read RFC 6570' };

/** Resources and a template, with and without scopes, for the end-to-end tests. */
@Injectable()
export class TestResources {
  constructor(
    private readonly probe: ToolProbe,
    private readonly context: McpAuthContext,
  ) {}

  @McpResource({ uri: 'test://readme', name: 'readme', title: 'Read me', mimeType: 'text/markdown' })
  readme(@Auth('subject') subject: string, @McpContext() context: McpRequestContext): string {
    this.probe.runs.push('readme');
    return `# Hello ${subject} (via context: ${this.context.authInfo?.subject}, uri: ${context.uri})`;
  }

  @McpResource({ uri: 'test://logo', name: 'logo', mimeType: 'image/png' })
  logo(): Buffer {
    return PNG_BYTES;
  }

  @McpResource({ uri: 'test://secret', name: 'secret', description: 'Needs secrets:read' })
  @RequireScopes('secrets:read')
  secret(): string {
    this.probe.runs.push('secret');
    return 'the secret';
  }

  @McpResourceTemplate({ uriTemplate: 'notes://{id}', name: 'note', mimeType: 'text/plain' })
  @RequireScopes('notes:read')
  note(@McpArgs('id') id: string): string | undefined {
    this.probe.runs.push(`note ${id}`);
    return NOTES[id];
  }

  @McpCompletion({ resourceTemplate: 'note', argument: 'id' })
  completeNoteId(value: string): string[] {
    return Object.keys(NOTES).filter((id) => id.startsWith(value));
  }
}

/** Prompts (one scoped) and completions of their arguments. */
@Injectable()
export class TestPrompts {
  constructor(private readonly probe: ToolProbe) {}

  @McpPrompt({
    name: 'greeting',
    title: 'Greeting',
    description: 'Greets someone',
    args: { name: z.string().min(1).describe('Who to greet'), style: z.enum(['short', 'long']).optional() },
  })
  greeting(@McpArgs() { name, style }: { name: string; style?: string }, @Auth() auth: AuthInfo): string {
    return style === 'long' ? `Good day to you, ${name}, from ${auth.subject}.` : `Hi ${name}`;
  }

  @McpCompletion({ prompt: 'greeting', argument: 'name' })
  completeName(@McpArgs() args: { name: string; style?: string }, @McpContext() context: McpRequestContext): string[] {
    const names = context.arguments?.style === 'long' ? ['Adelaide', 'Alexander'] : ['Ada', 'Alan', 'Grace'];
    return names.filter((name) => name.toLowerCase().startsWith(args.name.toLowerCase()));
  }

  @McpPrompt({ name: 'summarise_notes', description: 'Summarise my notes', args: { topic: z.string().optional() } })
  @RequireScopes('notes:read')
  summarise(@McpArgs('topic') topic: string | undefined) {
    this.probe.runs.push('summarise_notes');
    return {
      description: `Notes${topic ? ` about ${topic}` : ''}`,
      messages: [
        { role: 'user', content: { type: 'text', text: `Summarise these notes${topic ? ` about ${topic}` : ''}:` } },
        {
          role: 'user',
          content: { type: 'resource', resource: { uri: 'notes://1', mimeType: 'text/plain', text: NOTES['1'] } },
        },
        { role: 'user', content: { type: 'image', data: PNG_BYTES.toString('base64'), mimeType: 'image/png' } },
      ],
    };
  }

  @McpCompletion({ prompt: 'summarise_notes', argument: 'topic' })
  completeTopic(value: string): string[] {
    this.probe.runs.push('complete topic');
    return ['errands', 'people', 'reading'].filter((topic) => topic.startsWith(value));
  }
}
