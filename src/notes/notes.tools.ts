import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import {
  Auth,
  type AuthInfo,
  McpArgs,
  McpContext,
  McpRequestContext,
  McpResourceNotifier,
  McpTool,
  RequireScopes,
  ToolArgs,
} from 'nest-mcp-auth';
import { NotesService } from './notes.service.js';

/** The example's MCP tools: each needs a different scope, so a client sees the step-up flow. */
@Injectable()
export class NotesTools {
  constructor(
    private readonly notes: NotesService,
    private readonly notifier: McpResourceNotifier,
  ) {}

  @McpTool({
    name: 'whoami',
    title: 'Who am I',
    description: 'Tells who the access token belongs to (any valid token).',
    annotations: { readOnlyHint: true },
  })
  whoami(@Auth() auth: AuthInfo): string {
    return auth?.subject ?? (auth ? `client ${auth.clientId}` : 'anonymous');
  }

  @McpTool({
    name: 'list_notes',
    title: 'List notes',
    description: 'Lists your notes.',
    output: { notes: z.array(z.object({ id: z.number(), text: z.string(), createdAt: z.string() })) },
    annotations: { readOnlyHint: true },
  })
  @RequireScopes('notes:read')
  list(): { notes: ReturnType<NotesService['list']> } {
    return { notes: this.notes.list() };
  }

  @McpTool({
    name: 'add_note',
    title: 'Add a note',
    description: 'Adds a note to your list.',
    input: { text: z.string().min(1).max(1000).describe('The note') },
    annotations: { readOnlyHint: false, destructiveHint: false },
  })
  @RequireScopes('notes:write')
  add(@ToolArgs('text') text: string): string {
    const note = this.notes.add(text);
    return `Added note #${note.id}`;
  }

  @McpTool({
    name: 'delete_all_notes',
    title: 'Delete all notes',
    description: 'Deletes every note you have (administrators only).',
    annotations: { destructiveHint: true },
  })
  @RequireScopes('notes:admin')
  async deleteAll(): Promise<string> {
    const deleted = this.notes.deleteAll();
    // Stateful sessions subscribed to a deleted note (resources/subscribe) hear about it; stateless: a no-op.
    for (const note of deleted) await this.notifier.resourceUpdated(`notes://${note.id}`);
    return `Deleted ${deleted.length} notes`;
  }

  @McpTool({
    name: 'import_notes',
    title: 'Import notes',
    description: 'Adds several notes at once, reporting progress and logging each one.',
    input: { texts: z.array(z.string().min(1).max(1000)).min(1).max(20).describe('The notes, in order') },
    annotations: { readOnlyHint: false, destructiveHint: false },
  })
  @RequireScopes('notes:write')
  async import(@McpArgs('texts') texts: string[], @McpContext() context: McpRequestContext): Promise<string> {
    const ids: number[] = [];
    for (const [index, text] of texts.entries()) {
      const note = this.notes.add(text);
      ids.push(note.id);
      await context.log('info', `Imported note #${note.id}`, 'import_notes');
      await context.progress(index + 1, texts.length, `${index + 1} of ${texts.length}`);
    }
    return `Imported notes ${ids.map((id) => `#${id}`).join(', ')}`;
  }
}
