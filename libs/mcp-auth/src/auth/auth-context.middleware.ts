import { Injectable, type NestMiddleware } from '@nestjs/common';
import { McpAuthContext } from './auth-context.service.js';

/** Enters the per-request context before guards run, so everything downstream can read the identity. */
@Injectable()
export class AuthContextMiddleware implements NestMiddleware {
  constructor(private readonly context: McpAuthContext) {}

  use(request: object, _response: unknown, next: () => void): void {
    this.context.run(request, next);
  }
}
