import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import type { AuthInfo } from './auth-info.interface.js';

/** What the context keeps per request: the request object the guard attaches `auth` to. */
interface RequestHolder {
  auth?: AuthInfo;
}

/**
 * The verified identity of the current request, for any service (singleton or not), without
 * request-scoped providers: an AsyncLocalStorage entered once per request by the module's middleware.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class NotesService {
 *   constructor(private readonly auth: McpAuthContext) {}
 *   list() { return this.store.byOwner(this.auth.requireAuthInfo().subject); }
 * }
 * ```
 */
@Injectable()
export class McpAuthContext {
  private readonly storage = new AsyncLocalStorage<RequestHolder>();

  /** The current request's `AuthInfo`, or `undefined` outside a request or on an unprotected route. */
  get authInfo(): AuthInfo | undefined {
    return this.storage.getStore()?.auth;
  }

  /** Like `authInfo`, but throws when there is none (a programming error: the route is not protected). */
  requireAuthInfo(): AuthInfo {
    const auth = this.authInfo;
    if (!auth) throw new Error('No verified AuthInfo in this context: is the route protected with @RequireScopes?');
    return auth;
  }

  /** Runs `callback` with `request` as the current request. Used by the module's middleware. */
  run<T>(request: RequestHolder, callback: () => T): T {
    return this.storage.run(request, callback);
  }
}
