// What a user writes: a tool on a provider, and the module configured for one protected resource.
import { type DynamicModule, Injectable, Module } from '@nestjs/common';
import { Auth, McpAuthModule, McpTool, RequireScopes, ToolArgs } from 'nest-mcp-auth';
import { z } from 'zod';

@Injectable()
export class GreetingTools {
  @McpTool({ name: 'greet', description: 'Greets someone', input: { name: z.string().max(100) } })
  @RequireScopes('greetings:write')
  greet(@ToolArgs('name') name: string, @Auth('subject') subject: string | undefined): string {
    return `Hello ${name}, from ${subject ?? 'nobody'}`;
  }
}

@Module({})
export class AppModule {
  static register(resource: string, issuer: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        McpAuthModule.forRoot({
          resources: [{ resource, authorizationServers: [{ issuer }], scopesSupported: ['greetings:write'] }],
        }),
      ],
      providers: [GreetingTools],
    };
  }
}
