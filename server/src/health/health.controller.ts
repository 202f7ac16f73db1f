import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.guard.js';
import { DomainError } from '../errors/domain-error.js';

/** Liveness with a database round trip, for load balancers and compose health checks. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Public()
  @Get()
  async health(): Promise<{ status: 'ok'; database: 'up'; latencyMs: number }> {
    const started = performance.now();
    try {
      await this.dataSource.query('SELECT 1');
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
