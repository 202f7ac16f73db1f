import { Inject, Injectable } from '@nestjs/common';
import {
  findingBlockers,
  type DollarImpact,
  type EditsInput,
  type Encounter,
  type FeeEstimate,
  type Finding,
  type LiveEdits,
} from '@countersign/shared';
import { DataSource } from 'typeorm';
import { EditsService } from '../edits/edits.service.js';
import type { SqlRunner } from '../database/live-pool.js';
import { EncounterRepository, type SubmittedLine } from '../encounter/encounter.repository.js';

/**
 * The coding edits of a chart as the room sees them: findings and fees of the claim as it
 * would be billed (rejected lines leave it), and once the chart was submitted, the dollar
 * impact of the review so far. Also the approval gate: no open error, no unacknowledged warning.
 */
@Injectable()
export class ChartEditsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EncounterRepository) private readonly encounters: EncounterRepository,
    @Inject(EditsService) private readonly edits: EditsService,
  ) {}

  async liveEdits(encounter: Encounter): Promise<LiveEdits> {
    const [edits, impact] = await Promise.all([
      this.edits.evaluate(billedClaim(encounter)),
      this.impact(encounter),
    ]);
    return { encounterId: encounter.id, version: encounter.version, ...edits, impact };
  }

  /** The findings of the claim as it stands, for commands that check one. */
  async findings(encounter: Encounter): Promise<Finding[]> {
    return (await this.edits.evaluate(billedClaim(encounter))).findings;
  }

  /** What blocks approval among the findings. */
  async blockers(encounter: Encounter): Promise<string[]> {
    const findings = await this.findings(encounter);
    return findingBlockers(findings, new Set(encounter.acknowledgements.map((a) => a.findingId)));
  }

  private async impact(encounter: Encounter): Promise<DollarImpact | null> {
    // A draft has no submitted line: no need to ask the database (the live edit path).
    if (!encounter.lines.some((line) => line.origin === 'coder' && line.submitted)) return null;
    const submitted = await this.encounters.coderSubmittedLines(
      this.dataSource.manager,
      encounter.id,
    );
    if (submitted.length === 0) return null;
    return this.impactOf(encounter, submitted);
  }

  private impactOf(encounter: Encounter, submitted: SubmittedLine[]): Promise<DollarImpact> {
    const coderLines: EditsInput['lines'] = submitted.map((row) => ({
      id: row.id,
      ...row.submitted,
    }));
    return this.edits.dollarImpact(encounter, coderLines, billedClaim(encounter).lines);
  }

  /**
   * Each line's price in cents as the coder submitted it and as the chart stands, from the same
   * estimate as the review's dollar impact (each claim priced whole, so reductions and denials
   * fall where they would), read in the caller's transaction: what approval records on the
   * outcome rows. A missed line has coder price 0, a rejected line final price 0.
   */
  async linePrices(
    tx: SqlRunner,
    encounter: Encounter,
  ): Promise<Map<string, { coderCents: number; finalCents: number }>> {
    const submitted = await this.encounters.coderSubmittedLines(tx, encounter.id);
    const impact = await this.impactOf(encounter, submitted);
    const cents = (fees: FeeEstimate) =>
      new Map(fees.lines.map((line) => [line.lineId, Math.round(line.amount * 100)]));
    const coder = cents(impact.coder);
    const reviewed = cents(impact.reviewed);
    return new Map(
      encounter.lines.map((line) => [
        line.id,
        { coderCents: coder.get(line.id) ?? 0, finalCents: reviewed.get(line.id) ?? 0 },
      ]),
    );
  }
}

/** The encounter as the claim would go out: without the lines a reviewer rejected. */
function billedClaim(encounter: Encounter): EditsInput {
  return {
    dateOfService: encounter.dateOfService,
    placeOfService: encounter.placeOfService,
    diagnoses: encounter.diagnoses,
    lines: encounter.lines
      .filter((line) => line.review.state !== 'rejected')
      .map(({ id, code, modifiers, units, pointers }) => ({
        id,
        code,
        modifiers,
        units,
        pointers,
      })),
  };
}
