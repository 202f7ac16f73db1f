import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LimitsService, rateLimited } from '../limits/limits.service.js';

/** The longest a brake holds (15 minutes). */
const MAX_DELAY_SECONDS = 15 * 60;
/** Failures from one address across all accounts before spraying is braked, as a multiple of the per-account allowance. */
const ADDRESS_ALLOWANCE_FACTOR = 4;

/**
 * Slows down password guessing without locking anyone out. Failures are counted per account
 * and source address, and per source address over all accounts (spraying), in Redis (or
 * Postgres without Redis), never in one process. Past a few free failures each further one
 * brakes that key for a growing time (1 s, 2 s, 4 s ... up to 15 min); a try while braked is
 * refused `rate_limited` with the seconds to wait, without checking the password. A stranger
 * guessing from elsewhere brakes only their own address, so the real user (another address)
 * is never held; after the wait the right password works again and clears the account's count.
 */
@Injectable()
export class LoginBrake implements OnModuleInit {
  private failuresByAccount!: RateLimiterAbstract;
  private failuresByAddress!: RateLimiterAbstract;
  private brakes!: RateLimiterAbstract;

  constructor(
    @Inject(LimitsService) private readonly limits: LimitsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.failuresByAccount = this.limits.limiter(
      { keyPrefix: 'login-fails-account', points: 1_000_000, duration: 24 * 3600 },
      'durable',
    );
    this.failuresByAddress = this.limits.limiter(
      { keyPrefix: 'login-fails-address', points: 1_000_000, duration: 3600 },
      'durable',
    );
    this.brakes = this.limits.limiter(
      { keyPrefix: 'login-brake', points: 1, duration: 1 },
      'durable',
    );
  }

  /** Refuses `rate_limited` while this account-and-address or this address is braked. */
  async check(email: string, address: string): Promise<void> {
    const [account, spray] = await Promise.all([
      this.brakes.get(accountKey(email, address)),
      this.brakes.get(addressKey(address)),
    ]);
    const waitMs = Math.max(brakedFor(account), brakedFor(spray));
    if (waitMs > 0) throw rateLimited('Too many failed sign-ins; wait before trying again', waitMs);
  }

  /** Counts a failure and brakes the key that went past its allowance. */
  async failed(email: string, address: string): Promise<void> {
    const free = this.config.limits.loginFreeFailures;
    const [account, spray] = await Promise.all([
      this.failuresByAccount.penalty(accountKey(email, address)),
      this.failuresByAddress.penalty(address),
    ]);
    const braking: Array<Promise<unknown>> = [];
    if (account.consumedPoints > free)
      braking.push(
        this.brakes.block(accountKey(email, address), delaySeconds(account.consumedPoints - free)),
      );
    const sprayFree = free * ADDRESS_ALLOWANCE_FACTOR;
    if (spray.consumedPoints > sprayFree)
      braking.push(
        this.brakes.block(addressKey(address), delaySeconds(spray.consumedPoints - sprayFree)),
      );
    await Promise.all(braking);
  }

  /** The right password: this account's count from this address starts again. */
  async succeeded(email: string, address: string): Promise<void> {
    await Promise.all([
      this.failuresByAccount.delete(accountKey(email, address)),
      this.brakes.delete(accountKey(email, address)),
    ]);
  }
}

/** 1 s after the first failure past the allowance, doubling each time, at most 15 minutes. */
export function delaySeconds(pastAllowance: number): number {
  return Math.min(MAX_DELAY_SECONDS, 2 ** Math.min(pastAllowance - 1, 20));
}

function brakedFor(res: { consumedPoints: number; msBeforeNext: number } | null): number {
  return res && res.consumedPoints > 1 ? res.msBeforeNext : 0;
}

const accountKey = (email: string, address: string) => `account:${email}|${address}`;
const addressKey = (address: string) => `address:${address}`;
