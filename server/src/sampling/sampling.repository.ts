import { Injectable } from '@nestjs/common';
import type {
  ChartLineTally,
  CorrectionCategory,
  RecordedSamplingDecision,
  UserRef,
} from '@countersign/shared';
import type { EntityManager } from 'typeorm';

/** A coder's recent reviewed charts (newest first, at most the window) and how many in all. */
export interface CoderHistory {
  coder: UserRef;
  recent: ChartLineTally[];
  reviewedCharts: number;
}

/** The newest code-set edition that replaced an older edition of the same code set. */
export interface ReplacingEdition {
  label: string;
  loadedAt: Date;
}

interface HistoryRow {
  coder_id: string;
  coder_name: string;
  coder_lines: number | null;
  accepted_unchanged: number | null;
  missed_lines: number | null;
  total: string;
}

interface DecisionRow {
  encounter_id: string;
  seq: number;
  review: boolean;
  reasons: string[];
  level: 'full' | 'sampled';
  explanation: string;
  sample_rate: number;
  draw: number;
  decided_at: Date;
}

/** All of the sampling's SQL: the policy, the coders' histories, editions and the decisions. */
@Injectable()
export class SamplingRepository {
  /** The saved policy as stored (unchecked), or null when the organization has none. */
  async policy(tx: EntityManager, organizationId: string): Promise<unknown> {
    const rows = await tx.query<{ policy: unknown }[]>(
      `SELECT policy FROM sampling_policies WHERE organization_id = $1`,
      [organizationId],
    );
    return rows[0]?.policy ?? null;
  }

  /** Saves the policy and appends it to the revisions, in the caller's transaction. */
  async savePolicy(
    tx: EntityManager,
    organizationId: string,
    policy: unknown,
    by: UserRef,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO sampling_policies (organization_id, policy, updated_by, updated_at)
       VALUES ($1, $2::jsonb, $3, now())
       ON CONFLICT (organization_id) DO UPDATE SET policy = EXCLUDED.policy,
         updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
      [organizationId, JSON.stringify(policy), by.id],
    );
    await tx.query(
      `INSERT INTO sampling_policy_revisions (organization_id, policy, changed_by, changed_by_name)
       VALUES ($1, $2::jsonb, $3, $4)`,
      [organizationId, JSON.stringify(policy), by.id, by.name],
    );
  }

  /**
   * The last `window` reviewed charts of each active coder (or of `coderId` only, active or
   * not), newest first, with each coder's count of reviewed charts. Coders with none are listed.
   */
  async histories(
    tx: EntityManager,
    organizationId: string,
    window: number,
    coderId?: string,
  ): Promise<CoderHistory[]> {
    const rows = await tx.query<HistoryRow[]>(
      `WITH ranked AS (
         SELECT coder_id, coder_lines, accepted_unchanged, missed_lines,
                row_number() OVER (PARTITION BY coder_id ORDER BY approved_at DESC, encounter_id) AS rn,
                count(*) OVER (PARTITION BY coder_id) AS total
           FROM review_results
          WHERE organization_id = $1 AND ($3::uuid IS NULL OR coder_id = $3))
       SELECT u.id AS coder_id, u.name AS coder_name, r.coder_lines, r.accepted_unchanged,
              r.missed_lines, COALESCE(r.total, 0)::text AS total
         FROM users u LEFT JOIN ranked r ON r.coder_id = u.id AND r.rn <= $2
        WHERE u.organization_id = $1
          AND (CASE WHEN $3::uuid IS NULL THEN u.role = 'coder' AND u.deactivated_at IS NULL
                    ELSE u.id = $3 END)
        ORDER BY u.name, u.id, r.rn`,
      [organizationId, window, coderId ?? null],
    );
    const byCoder = new Map<string, CoderHistory>();
    for (const row of rows) {
      let history = byCoder.get(row.coder_id);
      if (!history) {
        history = {
          coder: { id: row.coder_id, name: row.coder_name },
          recent: [],
          reviewedCharts: Number(row.total),
        };
        byCoder.set(row.coder_id, history);
      }
      if (row.coder_lines !== null)
        history.recent.push({
          coderLines: row.coder_lines,
          acceptedUnchanged: row.accepted_unchanged ?? 0,
          missedLines: row.missed_lines ?? 0,
        });
    }
    return [...byCoder.values()];
  }

  /** The correction categories of the coder's charts approved since `since`. */
  async recentCategories(
    tx: EntityManager,
    organizationId: string,
    coderId: string,
    since: Date,
  ): Promise<CorrectionCategory[]> {
    const rows = await tx.query<{ category: CorrectionCategory }[]>(
      `SELECT DISTINCT unnest(categories) AS category FROM review_results
        WHERE organization_id = $1 AND coder_id = $2 AND approved_at >= $3`,
      [organizationId, coderId, since],
    );
    return rows.map((r) => r.category);
  }

  /**
   * The newest edition loaded after an older edition of the same code set (dataset), that is one
   * that replaced it. The editions a fresh install loads have no predecessor: never new.
   */
  async newestReplacingEdition(tx: EntityManager): Promise<ReplacingEdition | null> {
    const rows = await tx.query<{ dataset: string; edition: string; loaded_at: Date }[]>(
      `SELECT e.dataset, e.edition, COALESCE(i.finished_at, i.started_at) AS loaded_at
         FROM catalog_editions e JOIN catalog_imports i ON i.id = e.import_id
        WHERE EXISTS (
          SELECT 1 FROM catalog_editions p JOIN catalog_imports pi ON pi.id = p.import_id
           WHERE p.dataset = e.dataset AND p.edition <> e.edition
             AND p.effective_date < e.effective_date
             AND COALESCE(pi.finished_at, pi.started_at) < COALESCE(i.finished_at, i.started_at))
        ORDER BY loaded_at DESC LIMIT 1`,
    );
    const row = rows[0];
    return row ? { label: `${row.dataset} ${row.edition}`, loadedAt: row.loaded_at } : null;
  }

  async insertDecision(
    tx: EntityManager,
    organizationId: string,
    coderId: string | null,
    decision: Omit<RecordedSamplingDecision, 'decidedAt'>,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO sampling_decisions (encounter_id, seq, organization_id, coder_id, review, reasons,
         level, explanation, sample_rate, draw)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        decision.encounterId,
        decision.seq,
        organizationId,
        coderId,
        decision.review,
        decision.reasons,
        decision.level,
        decision.explanation,
        decision.sampleRate,
        decision.draw,
      ],
    );
  }

  /** The chart's latest decision, scoped to the organization. */
  async latestDecision(
    tx: EntityManager,
    organizationId: string,
    encounterId: string,
  ): Promise<RecordedSamplingDecision | null> {
    const rows = await tx.query<DecisionRow[]>(
      `SELECT encounter_id, seq, review, reasons, level, explanation, sample_rate, draw, decided_at
         FROM sampling_decisions WHERE organization_id = $1 AND encounter_id = $2
        ORDER BY seq DESC LIMIT 1`,
      [organizationId, encounterId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      encounterId: row.encounter_id,
      seq: row.seq,
      review: row.review,
      reasons: row.reasons,
      level: row.level,
      explanation: row.explanation,
      sampleRate: row.sample_rate,
      draw: row.draw,
      decidedAt: row.decided_at.toISOString(),
    };
  }
}
