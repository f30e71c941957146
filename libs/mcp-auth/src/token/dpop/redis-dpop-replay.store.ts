import type { DpopReplayStore } from '../../options/mcp-auth-options.interface.js';

/** The one Redis command the store needs, as `ioredis` spells it: `SET key value PX ms NX`. */
export interface RedisSetNx {
  set(key: string, value: string, expiryMode: 'PX', milliseconds: number, condition: 'NX'): Promise<'OK' | null>;
}

/**
 * A `DpopReplayStore` on Redis, shared by every replica behind a load balancer: a proof accepted by one
 * replica is a replay at all the others. One atomic `SET … PX … NX` per proof. Pass your `ioredis`
 * client (this library does not depend on a Redis package).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * McpAuthModule.forRoot({ ..., dpop: { replayStore: new RedisDpopReplayStore(new Redis(process.env.REDIS_URL!)) } })
 * ```
 */
export class RedisDpopReplayStore implements DpopReplayStore {
  constructor(
    private readonly redis: RedisSetNx,
    /** Prefix of the keys, to share a Redis database with other data. */
    private readonly prefix = 'nest-mcp-auth:dpop:',
  ) {}

  async remember(key: string, expiresAtMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(expiresAtMs - Date.now()));
    return (await this.redis.set(`${this.prefix}${key}`, '1', 'PX', ttl, 'NX')) === 'OK';
  }
}
