import { Inject, Injectable } from '@nestjs/common';
import {
  PRECEDENT_EDITABLE,
  organizationRefusal,
  type Precedent,
  type PrecedentDetail,
  type PrecedentEdit,
  type PrecedentPage,
  type PrecedentSearchQuery,
  type SessionUser,
} from '@countersign/shared';
import { DataSource } from 'typeorm';
import { EncounterRepository } from '../encounter/encounter.repository.js';
import { DomainError } from '../errors/domain-error.js';
import { PrecedentsRepository } from './precedents.repository.js';

/**
 * The precedent library: anyone in the organization searches and reads it, the room asks which
 * precedents apply to a chart's codes, and a supervisor or an admin edits, retires or
 * reactivates one. Each change and its revision row commit in one transaction.
 */
@Injectable()
export class PrecedentsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PrecedentsRepository) private readonly precedents: PrecedentsRepository,
    @Inject(EncounterRepository) private readonly encounters: EncounterRepository,
  ) {}

  async search(user: SessionUser, query: PrecedentSearchQuery): Promise<PrecedentPage> {
    const { items, total } = await this.precedents.search(
      this.dataSource.manager,
      user.organizationId,
      query,
    );
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  async detail(user: SessionUser, number: number): Promise<PrecedentDetail> {
    const manager = this.dataSource.manager;
    const precedent = await this.precedents.byNumber(manager, user.organizationId, number);
    if (!precedent) throw DomainError.notFound(`Precedent ${number}`);
    return { precedent, revisions: await this.precedents.revisions(manager, precedent.id) };
  }

  /**
   * The active precedents whose codes all appear among the chart's billed lines (a line the
   * reviewer rejected is not billed). Another organization's chart is not found.
   */
  async forChart(user: SessionUser, encounterId: string): Promise<Precedent[]> {
    const manager = this.dataSource.manager;
    if (!(await this.encounters.exists(manager, user.organizationId, encounterId)))
      throw DomainError.notFound('The encounter');
    const lines = await this.encounters.lines(manager, encounterId);
    const codes = [
      ...new Set(lines.filter((l) => l.review_state !== 'rejected').map((l) => l.code)),
    ];
    return this.precedents.matching(manager, user.organizationId, codes);
  }

  /** Changes what the edit names; a revision keeps the changed fields before and after. */
  edit(user: SessionUser, number: number, edit: PrecedentEdit): Promise<PrecedentDetail> {
    assertMayEdit(user);
    const wanted = normalized(edit);
    return this.change(user, number, async (tx, current) => {
      const was = pick(current);
      const before: PrecedentEdit = {};
      const after: PrecedentEdit = {};
      for (const field of PRECEDENT_EDITABLE) {
        const value = wanted[field];
        if (value === undefined || JSON.stringify(value) === JSON.stringify(was[field])) continue;
        Object.assign(before, { [field]: was[field] });
        Object.assign(after, { [field]: value });
      }
      if (Object.keys(after).length === 0)
        throw new DomainError('validation_failed', 'The edit changes nothing');
      await this.precedents.update(tx, current.id, { ...was, ...after }, user);
      await this.precedents.insertRevision(tx, {
        precedentId: current.id,
        kind: 'edit',
        before,
        after,
        reason: null,
        by: user,
      });
    });
  }

  /** Takes a precedent out of the room and the default search; its page and number remain. */
  retire(user: SessionUser, number: number, reason: string): Promise<PrecedentDetail> {
    assertMayEdit(user);
    return this.change(user, number, async (tx, current) => {
      if (current.status === 'retired')
        throw new DomainError('invalid_state', `Precedent ${number} is already retired`);
      await this.precedents.setStatus(tx, current.id, 'retired', reason, user);
      await this.precedents.insertRevision(tx, {
        precedentId: current.id,
        kind: 'retire',
        before: { status: 'active' },
        after: { status: 'retired' },
        reason,
        by: user,
      });
    });
  }

  reactivate(user: SessionUser, number: number, reason: string): Promise<PrecedentDetail> {
    assertMayEdit(user);
    return this.change(user, number, async (tx, current) => {
      if (current.status === 'active')
        throw new DomainError('invalid_state', `Precedent ${number} is already active`);
      await this.precedents.setStatus(tx, current.id, 'active', null, user);
      await this.precedents.insertRevision(tx, {
        precedentId: current.id,
        kind: 'reactivate',
        before: { status: 'retired', retiredReason: current.retiredReason },
        after: { status: 'active' },
        reason,
        by: user,
      });
    });
  }

  /** Locks the precedent, applies `apply` and its revision in one transaction, answers the result. */
  private async change(
    user: SessionUser,
    number: number,
    apply: (tx: DataSource['manager'], current: Precedent) => Promise<void>,
  ): Promise<PrecedentDetail> {
    await this.dataSource.transaction(async (tx) => {
      const current = await this.precedents.byNumber(tx, user.organizationId, number, true);
      if (!current) throw DomainError.notFound(`Precedent ${number}`);
      await apply(tx, current);
    });
    return this.detail(user, number);
  }
}

function assertMayEdit(user: SessionUser): void {
  const refused = organizationRefusal('precedent.edit', user);
  if (refused) throw new DomainError(refused.code, refused.message);
}

/** Codes and modifiers as claim lines hold them: upper case, each once, in the order given. */
function normalized(edit: PrecedentEdit): PrecedentEdit {
  const upper = (values: string[] | undefined) =>
    values && [...new Set(values.map((v) => v.toUpperCase()))];
  return { ...edit, codes: upper(edit.codes), modifiers: upper(edit.modifiers) };
}

function pick(p: Precedent): Required<PrecedentEdit> {
  return {
    question: p.question,
    codes: p.codes,
    modifiers: p.modifiers,
    decision: p.decision,
    reasoning: p.reasoning,
  };
}
