import { Module } from '@nestjs/common';
import { NotesController } from './notes.controller.js';
import { NotesPrompts } from './notes.prompts.js';
import { NotesResources } from './notes.resources.js';
import { NotesService } from './notes.service.js';
import { NotesTools } from './notes.tools.js';

@Module({
  controllers: [NotesController],
  providers: [NotesService, NotesTools, NotesResources, NotesPrompts],
})
export class NotesModule {}
