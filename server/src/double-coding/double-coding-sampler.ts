import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { samplingDraw, type SessionUser } from '@countersign/shared';
import type { Subscription } from 'rxjs';
import { DataSource } from 'typeorm';
import { EncounterEventBus, type CommittedChange } from '../encounter/encounter-event-bus.js';
import { SamplingService } from '../sampling/sampling.service.js';
import { DoubleCodingRepository } from './double-coding.repository.js';
import { DoubleCodingService } from './double-coding.service.js';

/**
 * The sampling policy's double-coding share (docs/domain.md section 11.2): a new chart (created
 * or imported, a draft claim with no lines) whose draw `samplingDraw(chartId, 0)` falls under
 * `doubleCodingShare` is sent to the two coders who were least recently given a blind copy
 * (active coders, not trainees), on behalf of whoever created it (`requestedVia: 'sampling'`).
 * Runs after the chart's transaction committed, on the instance that created it; a chart that
 * cannot be sent (fewer than two coders) is left as it is and logged.
 */
@Injectable()
export class DoubleCodingSampler implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DoubleCodingSampler.name);
  private subscription: Subscription | null = null;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EncounterEventBus) private readonly bus: EncounterEventBus,
    @Inject(SamplingService) private readonly sampling: SamplingService,
    @Inject(DoubleCodingRepository) private readonly repository: DoubleCodingRepository,
    @Inject(DoubleCodingService) private readonly doubleCoding: DoubleCodingService,
  ) {}

  onModuleInit(): void {
    this.subscription = this.bus.changes.subscribe((change) => {
      const chart = change.encounter;
      if (change.event.type !== 'encounter.created' || !chart) return;
      if (chart.purpose !== 'claim' || chart.status !== 'draft' || chart.lines.length > 0) return;
      this.consider(change).catch((error: unknown) =>
        this.logger.warn(
          `double-coding share of ${chart.id}: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  private async consider({ event, organizationId }: CommittedChange): Promise<void> {
    const policy = await this.sampling.policyOfOrganization(organizationId);
    const share = policy.doubleCodingShare ?? 0;
    if (!(samplingDraw(event.encounterId, 0) < share)) return;
    const manager = this.dataSource.manager;
    const [creator, coders] = await Promise.all([
      this.repository.person(manager, organizationId, event.actor.id),
      this.repository.nextCoders(manager, organizationId),
    ]);
    if (!creator || coders.length < 2) {
      this.logger.warn(
        `double-coding share: fewer than two coders to send ${event.encounterId} to`,
      );
      return;
    }
    const user: SessionUser = { ...creator, organizationId, organizationName: '' };
    await this.doubleCoding.send(user, event.encounterId, [coders[0]!, coders[1]!], 'sampling');
  }
}
