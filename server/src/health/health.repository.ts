import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The health check's one statement: a round trip that touches no table. */
@Injectable()
export class HealthRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
