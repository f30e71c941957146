import { Controller, Get } from '@nestjs/common';
import { Auth, Public, RequireScopes } from 'nest-mcp-auth';
import { type Note, NotesService } from './notes.service.js';

/** The same notes over plain REST, protected by the same guard and scopes. */
@Controller('api/notes')
@RequireScopes('notes:read')
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Get()
  list(@Auth('subject') subject: string | undefined): { owner: string | undefined; notes: Note[] } {
    return { owner: subject, notes: this.notes.list() };
  }

  @Get('health')
  @Public()
  health(): { status: string } {
    return { status: 'ok' };
  }
}
