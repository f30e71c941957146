import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Controller, ExecutionContext, Get, Injectable, Module, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MessagePattern } from '@nestjs/microservices';
import { McpAuthConfigurationError, McpAuthGuard, McpAuthModule, Public, RequireScopes } from 'nest-mcp-auth';
import { ADAPTERS, createNestApp, type HttpAdapterName } from './support/test-app.js';

/** One resource, its issuer's metadata given inline: booting fetches nothing. */
const ISSUER = 'http://127.0.0.1:2';
const RESOURCE = {
  resource: 'http://127.0.0.1:1/mcp',
  authorizationServers: [{ issuer: ISSUER, metadata: { issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` } }],
};

/** Boots an app with `McpAuthModule` and the given classes. */
async function boot(
  controllers: Type[],
  providers: Type[] = [],
  globalPrefix?: string,
  adapter: HttpAdapterName = 'express',
): Promise<void> {
  @Module({
    imports: [McpAuthModule.forRoot({ resources: [RESOURCE] })],
    controllers,
    providers,
  })
  class BootModule {}
  const app = await createNestApp(BootModule, adapter, { abortOnError: false });
  if (globalPrefix) app.setGlobalPrefix(globalPrefix);
  await app.init();
  await app.close();
}

async function assertBootFails(controllers: Type[], providers: Type[], message: RegExp): Promise<void> {
  await assert.rejects(boot(controllers, providers), (error: unknown) => {
    assert.ok(error instanceof McpAuthConfigurationError, String(error));
    assert.match(error.message, message);
    return true;
  });
}

describe('Declarations that cannot be enforced fail the boot', () => {
  it('refuses @Public() and @RequireScopes() on the same method, naming it', async () => {
    @Controller('both')
    class BothOnMethod {
      @Get()
      @Public()
      @RequireScopes('x')
      get() {}
    }
    await assertBootFails([BothOnMethod], [], /BothOnMethod\.get has both @Public\(\) and @RequireScopes\(\)/);
  });

  it('refuses @Public() and @RequireScopes() on the same class, naming it', async () => {
    @Controller('both')
    @Public()
    @RequireScopes('x')
    class BothOnClass {
      @Get()
      get() {}
    }
    await assertBootFails([BothOnClass], [], /BothOnClass has both @Public\(\) and @RequireScopes\(\)/);
  });

  it('refuses @RequireScopes on a microservice message handler (the guard cannot read a token there)', async () => {
    @Controller()
    class Messages {
      @MessagePattern('notes.list')
      @RequireScopes('notes:read')
      list() {
        return [];
      }
    }
    await assertBootFails([Messages], [], /Messages\.list is a microservices handler/);
  });

  it('refuses a protected class whose handlers include a message handler', async () => {
    @Controller('mixed')
    @RequireScopes('notes:read')
    class MixedTransports {
      @Get()
      http() {}

      @MessagePattern('notes.count')
      count() {
        return 0;
      }
    }
    await assertBootFails([MixedTransports], [], /MixedTransports\.count is a microservices handler/);
  });

  it('refuses @RequireScopes on a method that is neither a route nor a tool', async () => {
    @Injectable()
    class Service {
      @RequireScopes('notes:read')
      helper() {}
    }
    await assertBootFails([], [Service], /Service\.helper is not an HTTP route or an MCP handler/);
  });

  it('refuses @RequireScopes on a class with nothing to protect', async () => {
    @Injectable()
    @RequireScopes('notes:read')
    class ProtectedService {
      helper() {}
    }
    await assertBootFails([], [ProtectedService], /ProtectedService has no HTTP route or MCP handler to protect/);
  });

  for (const adapter of ADAPTERS) {
    it(`refuses a global prefix that would move the protected resource metadata off the root, saying how to fix it (${adapter})`, async () => {
      await assert.rejects(boot([], [], 'v1', adapter), (error: unknown) => {
        assert.ok(error instanceof McpAuthConfigurationError);
        assert.match(error.message, /app\.setGlobalPrefix\('v1', \{ exclude: \['\.well-known\/\{\*path\}'\] \}\)/);
        return true;
      });
    });
  }

  it('boots with what it can enforce', async () => {
    @Controller('fine')
    @Public()
    class Fine {
      @Get('open')
      open() {}

      @Get('closed')
      @RequireScopes('x')
      closed() {}
    }
    await boot([Fine]);
  });
});

describe('The guard denies protected handlers of other transports (second line behind the boot check)', () => {
  it('returns false for an rpc or ws context with a requirement, true without one', async () => {
    class Handlers {
      @RequireScopes('x')
      protectedHandler() {}

      openHandler() {}
    }
    const guard = new McpAuthGuard(new Reflector(), {} as never, {} as never, {} as never, {} as never, {} as never);
    const context = (type: string, handler: () => void) =>
      ({ getType: () => type, getClass: () => Handlers, getHandler: () => handler }) as unknown as ExecutionContext;
    for (const type of ['rpc', 'ws', 'graphql']) {
      assert.equal(await guard.canActivate(context(type, Handlers.prototype.protectedHandler)), false, type);
      assert.equal(await guard.canActivate(context(type, Handlers.prototype.openHandler)), true, type);
    }
  });
});
