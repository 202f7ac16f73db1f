import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.guard.js';
import { DomainError } from '../errors/domain-error.js';
import { HealthRepository } from './health.repository.js';

/** Liveness with a database round trip, for load balancers and compose health checks. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(HealthRepository) private readonly database: HealthRepository) {}

  @Public()
  @Get()
  async health(): Promise<{ status: 'ok'; database: 'up'; latencyMs: number }> {
    const started = performance.now();
    try {
      await this.database.ping();
    } catch {
      throw new DomainError('unavailable', 'The database is not reachable');
    }
    return {
      status: 'ok',
      database: 'up',
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
    };
  }
}
