import { SetMetadata } from '@nestjs/common';
import { PUBLIC_METADATA } from './metadata-keys.js';

/**
 * Opts one route (or a whole controller) out of a class-level `@RequireScopes`: no token is needed or read.
 *
 * @example
 * ```ts
 * @Controller('notes')
 * @RequireScopes('notes:read')
 * export class NotesController {
 *   @Get('health')
 *   @Public()
 *   health() { return 'ok'; }
 * }
 * ```
 */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(PUBLIC_METADATA, true);
