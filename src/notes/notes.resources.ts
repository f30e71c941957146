import { Injectable } from '@nestjs/common';
import { McpArgs, McpCompletion, McpResourceTemplate, RequireScopes } from 'nest-mcp-auth';
import { NotesService } from './notes.service.js';

/** Each of the caller's notes as an MCP resource, `notes://{id}`, with completion of the ids. */
@Injectable()
@RequireScopes('notes:read')
export class NotesResources {
  constructor(private readonly notes: NotesService) {}

  @McpResourceTemplate({
    uriTemplate: 'notes://{id}',
    name: 'note',
    title: 'A note',
    description: 'One of your notes, by id (complete the id to see yours).',
    mimeType: 'text/plain',
  })
  read(@McpArgs('id') id: string): string | undefined {
    // `undefined` answers "resource not found": another user's note is not found either.
    return /^\d{1,9}$/.test(id) ? this.notes.get(Number(id))?.text : undefined;
  }

  @McpCompletion({ resourceTemplate: 'note', argument: 'id' })
  completeId(value: string): string[] {
    return this.notes
      .list()
      .map((note) => String(note.id))
      .filter((id) => id.startsWith(value));
  }
}
