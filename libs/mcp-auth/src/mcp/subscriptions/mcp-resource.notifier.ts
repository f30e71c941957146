import { Injectable, Logger } from '@nestjs/common';
import { McpResourceSubscriptions } from './resource-subscriptions.js';

/**
 * Announces that a resource changed: every stateful session subscribed to its URI (`resources/subscribe`)
 * gets `notifications/resources/updated` on its standalone stream (the client then reads it again, which is
 * authorized as any read). In stateless mode nobody can subscribe, so this does nothing.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class NotesService {
 *   constructor(private readonly notifier: McpResourceNotifier) {}
 *   async edit(id: number, text: string) {
 *     this.store.set(id, text);
 *     await this.notifier.resourceUpdated(`notes://${id}`);
 *   }
 * }
 * ```
 */
@Injectable()
export class McpResourceNotifier {
  private readonly logger = new Logger('McpAuthModule');

  constructor(private readonly subscriptions: McpResourceSubscriptions) {}

  /** Notifies the sessions subscribed to `uri`; resolves to how many were notified. Never throws. */
  async resourceUpdated(uri: string): Promise<number> {
    const sessions = this.subscriptions.subscribers(uri);
    const sent = await Promise.all(
      sessions.map((session) =>
        session.server.sendResourceUpdated({ uri }).then(
          () => true,
          (error: unknown) => {
            this.logger.warn(
              `Could not notify a session of an update of ${uri}: ${(error as Error)?.message ?? error}`,
            );
            return false;
          },
        ),
      ),
    );
    return sent.filter(Boolean).length;
  }
}
