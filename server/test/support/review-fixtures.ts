import { randomUUID } from 'node:crypto';
import type { EncounterStatus } from '@countersign/shared';
import type { DataSource } from 'typeorm';
import { eventHash } from '../../src/audit/event-chain.js';
import type { TestOrganization } from './test-app.js';

export interface ReviewFixture {
  encounterId: string;
  /** Submitted line with a suggestion (open unless asked otherwise) and a thread on it. */
  lineA: string;
  /** Line never submitted, with no suggestion: the target of line and review commands. */
  lineB: string;
  suggestionId: string | null;
  threadId: string;
  /** The warning the fixture raises (two office visits: lines A and C). */
  warningId: string;
  version: number;
}

/**
 * An encounter put straight into `status` with the coder and reviewer assigned, three lines
 * (two office visits, which raises a warning), a suggestion on line A in `suggestionStatus`
 * (open by default; `disputed` or `escalated` for the dispute commands), or when ready to
 * approve none, every line accepted and the warning acknowledged; and a thread: enough for
 * every command to have a target. Written with SQL so the role x state matrix can start from any state quickly.
 */
export async function encounterInState(
  dataSource: DataSource,
  org: TestOrganization,
  status: EncounterStatus,
  options: { openSuggestion?: boolean; suggestionStatus?: 'open' | 'disputed' | 'escalated' } = {},
): Promise<ReviewFixture> {
  const { coder, reviewer } = org.users;
  return dataSource.transaction(async (tx) => {
    const [encounter] = await tx.query(
      `INSERT INTO encounters (organization_id, patient_mrn, patient_name, patient_dob, date_of_service, provider_name,
                               place_of_service, clinical_note, diagnoses, status, coder_id, reviewer_id, coded_by, version)
       VALUES ($1, $2, 'Matrix Patient', '1960-01-01', '2026-03-02', 'Dr Matrix', '11', 'Note', '{M1711,E119}', $3, $4, $5, ARRAY[$4]::uuid[], 1)
       RETURNING id`,
      [org.id, `MX-${randomUUID().slice(0, 8)}`, status, coder.id, reviewer.id],
    );
    const id: string = encounter.id;
    const createdAt = new Date();
    const hash = eventHash(
      {
        encounterId: id,
        seq: 1,
        type: 'encounter.created',
        actorId: coder.id,
        actorName: coder.name,
        payload: {},
        createdAt,
      },
      null,
    );
    await tx.query(
      `INSERT INTO encounter_events (encounter_id, seq, type, actor_id, actor_name, payload, created_at, hash)
       VALUES ($1, 1, 'encounter.created', $2, $3, '{}', $4, $5)`,
      [id, coder.id, coder.name, createdAt, hash],
    );
    const [a] = await tx.query(
      `INSERT INTO claim_lines (encounter_id, position, code, modifiers, units, pointers, submitted, last_seq)
       VALUES ($1, 0, '99213', '{}', 1, '{A}', '{"code":"99213","modifiers":[],"units":1,"pointers":["A"]}', 1) RETURNING id`,
      [id],
    );
    const [b] = await tx.query(
      `INSERT INTO claim_lines (encounter_id, position, code, modifiers, units, pointers, last_seq) VALUES ($1, 1, '20610', '{RT}', 1, '{A}', 1) RETURNING id`,
      [id],
    );
    const [c] = await tx.query(
      `INSERT INTO claim_lines (encounter_id, position, code, modifiers, units, pointers, last_seq) VALUES ($1, 2, '99214', '{}', 1, '{B}', 1) RETURNING id`,
      [id],
    );
    const warningId = `office-visit-repeated:${a.id}+${c.id}:99213+99214`;
    if (options.openSuggestion === false) {
      // Ready to approve: every line reviewed, the warning acknowledged.
      await tx.query(
        `UPDATE claim_lines SET review_state = 'accepted', reviewed_by = $2, reviewed_by_name = $3 WHERE encounter_id = $1`,
        [id, reviewer.id, reviewer.name],
      );
      await tx.query(
        `INSERT INTO finding_acknowledgements (encounter_id, finding_id, reason, by_id, by_name, created_seq) VALUES ($1, $2, 'Two visits documented', $3, $4, 1)`,
        [id, warningId, coder.id, coder.name],
      );
    }
    let suggestionId: string | null = null;
    if (options.openSuggestion ?? true) {
      const [s] = await tx.query(
        `INSERT INTO suggestions (encounter_id, line_id, author_id, author_name, before, proposed, category, comment, created_seq, last_seq,
                                  status, escalated_by, escalated_by_name, escalation_comment, escalated_at)
         VALUES ($1, $2, $3, $4, '{"code":"99213","modifiers":[],"units":1,"pointers":["A"]}',
                 '{"code":"99213","modifiers":["25"],"units":1,"pointers":["A"]}', 'missing-modifier', 'Separate E/M', 1, 1,
                 $5, CASE WHEN $5 = 'escalated' THEN $3::uuid END, CASE WHEN $5 = 'escalated' THEN $4 END,
                 CASE WHEN $5 = 'escalated' THEN 'We disagree' END, CASE WHEN $5 = 'escalated' THEN now() END) RETURNING id`,
        [id, a.id, reviewer.id, reviewer.name, options.suggestionStatus ?? 'open'],
      );
      suggestionId = s.id;
    }
    const [t] = await tx.query(
      'INSERT INTO comment_threads (encounter_id, line_id, created_seq) VALUES ($1, $2, 1) RETURNING id',
      [id, a.id],
    );
    await tx.query(
      `INSERT INTO comments (thread_id, author_id, author_name, body, created_seq) VALUES ($1, $2, $3, 'Look at this', 1)`,
      [t.id, coder.id, coder.name],
    );
    return {
      encounterId: id,
      lineA: a.id,
      lineB: b.id,
      suggestionId,
      threadId: t.id,
      warningId,
      version: 1,
    };
  });
}
