import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { createClient } from 'redis';
import type { DataSource } from 'typeorm';
import { DataSource as DataSourceToken } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DomainError } from '../errors/domain-error.js';

/** Where a limit's counters live: shared by every instance, or only this process's memory. */
export type LimitScope = 'shared' | 'durable';

export interface LimitOptions {
  keyPrefix: string;
  points: number;
  /** Window in seconds. */
  duration: number;
}

/**
 * Rate limits with rate-limiter-flexible. With REDIS_URL every limit is counted in Redis, so it
 * holds across instances (with an in-memory insurance limiter if Redis stops answering). Without
 * Redis there is one instance: `shared` limits count in memory, `durable` ones (the login brake,
 * which must survive a restart) in Postgres.
 */
@Injectable()
export class LimitsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Limits');
  private redis: ReturnType<typeof createClient> | null = null;
  private perSocket!: RateLimiterMemory;
  private perUserCommands!: RateLimiterAbstract;
  private perUserRest!: RateLimiterAbstract;
  private perAddressRest!: RateLimiterAbstract;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DataSourceToken) private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.redisUrl) {
      // Its own client: the socket adapter's client blocks on stream reads.
      this.redis = createClient({ url: this.config.redisUrl, disableOfflineQueue: true });
      this.redis.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
      await this.redis.connect();
    }
    const limits = this.config.limits;
    // A socket lives on one instance, so its own rate is counted where it is.
    this.perSocket = new RateLimiterMemory({
      keyPrefix: 'socket',
      points: limits.socketCommandsPerSecond,
      duration: 1,
    });
    this.perUserCommands = this.limiter(
      { keyPrefix: 'user-commands', points: limits.userCommandsPerMinute, duration: 60 },
      'shared',
    );
    this.perUserRest = this.limiter(
      { keyPrefix: 'rest-user', points: limits.restRequestsPerMinute, duration: 60 },
      'shared',
    );
    this.perAddressRest = this.limiter(
      { keyPrefix: 'rest-address', points: limits.restAnonymousRequestsPerMinute, duration: 60 },
      'shared',
    );
  }

  async onModuleDestroy(): Promise<void> {
    const client = this.redis;
    this.redis = null;
    if (client?.isOpen)
      await Promise.race([
        client.quit().catch(() => undefined),
        new Promise((r) => setTimeout(r, 500).unref()),
      ]);
    if (client?.isOpen) client.destroy();
  }

  /** Where the counters live, for the README and the startup log. */
  get store(): 'redis' | 'memory+postgres' {
    return this.redis ? 'redis' : 'memory+postgres';
  }

  /** A limiter counted across instances (Redis), or on this single instance without Redis. */
  limiter(options: LimitOptions, scope: LimitScope): RateLimiterAbstract {
    const keyPrefix = `cs:${options.keyPrefix}`;
    if (this.redis) {
      return new RateLimiterRedis({
        ...options,
        keyPrefix,
        storeClient: this.redis,
        useRedisPackage: true,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ ...options, keyPrefix }),
      });
    }
    if (scope === 'durable') {
      const pool = (this.dataSource.driver as unknown as { master: unknown }).master;
      return new RateLimiterPostgres({
        ...options,
        keyPrefix,
        storeClient: pool,
        storeType: 'pool',
        tableName: 'rate_limits',
        tableCreated: true,
      });
    }
    return new RateLimiterMemory({ ...options, keyPrefix });
  }

  /** One command on one socket; refused `rate_limited` above the per-socket rate. */
  consumeSocket(socketId: string): Promise<void> {
    return consume(this.perSocket, socketId, 'This connection is sending commands too fast');
  }

  forgetSocket(socketId: string): void {
    void this.perSocket.delete(socketId);
  }

  /** One command of a user, over all their sockets and every instance. */
  consumeUserCommand(userId: string): Promise<void> {
    return consume(this.perUserCommands, userId, 'You are sending changes too fast');
  }

  /** One REST request (or socket handshake): per user when signed in, else per source address. */
  consumeRequest(who: { userId: string } | { address: string }): Promise<void> {
    return 'userId' in who
      ? consume(this.perUserRest, who.userId, 'Too many requests')
      : consume(this.perAddressRest, who.address, 'Too many requests from this address');
  }
}

/** Consumes one point or throws `rate_limited` with the seconds to wait. */
export async function consume(
  limiter: RateLimiterAbstract,
  key: string,
  message: string,
): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw rateLimited(message, rejection.msBeforeNext);
    throw rejection;
  }
}

/** The `rate_limited` error: the message, and `details.retryAfter` in whole seconds (at least 1). */
export function rateLimited(message: string, msBeforeNext: number): DomainError {
  const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new DomainError('rate_limited', `${message}; try again in ${retryAfter} s`, {
    retryAfter,
  });
}
