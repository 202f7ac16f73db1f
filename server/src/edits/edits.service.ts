import { Inject, Injectable } from '@nestjs/common';
import {
  codeAttributes,
  estimateFees,
  evaluateEdits,
  normalizeCode,
  referenceCodes,
  reviewDollarImpact,
  type CodeAttributes,
  type DollarImpact,
  type EditsInput,
  type EditsReference,
  type EncounterEdits,
} from '@countersign/shared';
import { EditsReferenceService } from './edits-reference.service.js';

/**
 * The server's authority on findings and fees: the shared pure rules over reference data from
 * Postgres. The catalogue and edit data are shared reference data, not tenant data, so no
 * organization is needed; callers pass an encounter they have already scoped.
 */
@Injectable()
export class EditsService {
  constructor(@Inject(EditsReferenceService) private readonly references: EditsReferenceService) {}

  /** Findings and the fee estimate of an encounter as it stands (an `Encounter` fits `EditsInput`). */
  async evaluate(encounter: EditsInput): Promise<EncounterEdits> {
    const reference = await this.reference(encounter);
    return this.evaluateWith(encounter, reference);
  }

  /** The same, against reference data already loaded (several evaluations of one chart). */
  evaluateWith(encounter: EditsInput, reference: EditsReference): EncounterEdits {
    const findings = evaluateEdits(encounter, reference);
    return {
      findings,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      fees: estimateFees(encounter, reference),
    };
  }

  /** Reference data for the codes of `encounter` (or any list of codes) on its date of service. */
  reference(
    encounter: Pick<EditsInput, 'dateOfService' | 'diagnoses' | 'lines'>,
  ): Promise<EditsReference> {
    return this.references.load(encounter.dateOfService, referenceCodes(encounter));
  }

  /** Reference data for a list of codes, for the browser's copy of the rules. */
  referenceFor(dateOfService: string, codes: readonly string[]): Promise<EditsReference> {
    return this.references.load(dateOfService, codes);
  }

  /** Category, section, add-on status, fee schedule indicators, RVUs and MUE of one code on a date. */
  async attributes(code: string, dateOfService: string): Promise<CodeAttributes> {
    const normalized = normalizeCode(code);
    return codeAttributes(normalized, await this.references.load(dateOfService, [normalized]));
  }

  /** The dollar impact of a review: the reviewed lines' estimate minus the coder's. */
  async dollarImpact(
    context: Pick<EditsInput, 'dateOfService' | 'placeOfService'>,
    coderLines: EditsInput['lines'],
    reviewedLines: EditsInput['lines'],
  ): Promise<DollarImpact> {
    const reference = await this.reference({
      dateOfService: context.dateOfService,
      diagnoses: [],
      lines: [...coderLines, ...reviewedLines],
    });
    return reviewDollarImpact(
      coderLines,
      reviewedLines,
      { placeOfService: context.placeOfService },
      reference,
    );
  }
}
