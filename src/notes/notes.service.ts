import { Injectable } from '@nestjs/common';
import { McpAuthContext } from 'nest-mcp-auth';

/** A note, owned by the subject that wrote it. */
export interface Note {
  id: number;
  text: string;
  createdAt: string;
}

/**
 * In-memory notes, one list per user. The owner comes from the verified token through
 * `McpAuthContext`, never from tool arguments, so one user cannot read another's notes.
 */
@Injectable()
export class NotesService {
  private readonly notesByOwner = new Map<string, Note[]>();
  private nextId = 1;

  constructor(private readonly auth: McpAuthContext) {}

  list(): Note[] {
    return this.notesByOwner.get(this.owner()) ?? [];
  }

  /** One of the caller's notes, by id. */
  get(id: number): Note | undefined {
    return this.list().find((note) => note.id === id);
  }

  add(text: string): Note {
    const note = { id: this.nextId++, text, createdAt: new Date().toISOString() };
    this.notesByOwner.set(this.owner(), [...this.list(), note]);
    return note;
  }

  /** Deletes every note of the caller; returns them. */
  deleteAll(): Note[] {
    const deleted = this.list();
    this.notesByOwner.delete(this.owner());
    return deleted;
  }

  private owner(): string {
    const auth = this.auth.authInfo;
    return auth ? `${auth.issuer} ${auth.subject ?? auth.clientId}` : 'anonymous';
  }
}
