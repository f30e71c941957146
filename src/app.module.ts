import { type DynamicModule, Module } from '@nestjs/common';
import { McpAuthModule } from 'nest-mcp-auth';
import { type ExampleConfig, RESOURCE_NAME, SCOPES } from './example-config.js';
import { NotesModule } from './notes/notes.module.js';

/** The example application: the notes feature plus the library, configured from `ExampleConfig`. */
@Module({})
export class AppModule {
  static register(config: ExampleConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        McpAuthModule.forRoot({
          resources: [
            {
              resource: config.resourceUrl,
              authorizationServers: [{ issuer: config.issuer, type: config.issuerType }],
              scopesSupported: SCOPES,
              resourceName: RESOURCE_NAME,
            },
          ],
          mcp: {
            path: new URL(config.resourceUrl).pathname,
            mode: config.mode,
            serverInfo: { name: 'notes-example', version: '1.0.0' },
            instructions: 'Keeps short notes for the signed-in user.',
            allowedOrigins: config.allowedOrigins,
            dangerouslyDisableAuthentication: !config.authEnabled,
          },
        }),
        NotesModule,
      ],
    };
  }
}
