import { Injectable } from '@nestjs/common';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { McpArgs, McpCompletion, McpPrompt, RequireScopes } from 'nest-mcp-auth';
import { NotesService } from './notes.service.js';

/** "Summarise my notes": a prompt over the caller's notes, with completion of its topic from their words. */
@Injectable()
@RequireScopes('notes:read')
export class NotesPrompts {
  constructor(private readonly notes: NotesService) {}

  @McpPrompt({
    name: 'summarise_notes',
    title: 'Summarise my notes',
    description: 'Asks the model to summarise your notes, optionally about one topic.',
    args: { topic: z.string().max(100).optional().describe('Only notes about this (completion offers your words)') },
  })
  summarise(@McpArgs('topic') topic: string | undefined): GetPromptResult {
    const notes = this.notes.list().filter((note) => !topic || note.text.toLowerCase().includes(topic.toLowerCase()));
    return {
      description: `Summary of ${notes.length} notes${topic ? ` about "${topic}"` : ''}`,
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: `Summarise these notes${topic ? ` about "${topic}"` : ''} in a few bullet points.`,
          },
        },
        ...notes.map((note) => ({
          role: 'user' as const,
          content: {
            type: 'resource' as const,
            resource: { uri: `notes://${note.id}`, mimeType: 'text/plain', text: note.text },
          },
        })),
      ],
    };
  }

  @McpCompletion({ prompt: 'summarise_notes', argument: 'topic' })
  completeTopic(value: string): string[] {
    const prefix = value.toLowerCase();
    const words = this.notes.list().flatMap((note) => note.text.toLowerCase().match(/\p{L}{4,}/gu) ?? []);
    return [...new Set(words)].filter((word) => word.startsWith(prefix)).sort();
  }
}
