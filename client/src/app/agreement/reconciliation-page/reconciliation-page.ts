import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { ActivatedRoute, RouterLink } from '@angular/router';
import {
  formatIcd10Cm,
  type CodedLineView,
  type LineDifference,
  type Reconciliation,
  type ReconciliationRow,
  type ReconciliationSource,
} from '@countersign/shared';
import { map } from 'rxjs';
import { AuthService } from '../../core/auth/auth.service';
import { toApiError } from '../../core/api/api-error';
import { dollars, measureValue } from '../../quality/quality-format';
import { AgreementApi } from '../agreement-api';
import { unitCounts } from '../agreement-format';
import { STATUS_LABELS } from '../double-codings-page/double-codings-page';
import {
  AGREE_REASON,
  CHOICE_LABELS,
  buildCommand,
  choicesFor,
  initialDecision,
  lineDraft,
  type AddedLine,
  type LineDraft,
  type RowDecision,
} from '../reconciliation-draft';

const RECONCILERS = new Set(['reviewer', 'supervisor', 'admin', 'operator']);

const DIFFERENCE_LABELS: Record<LineDifference, string> = {
  code: 'code',
  modifiers: 'modifiers',
  units: 'units',
  pointers: 'pointers',
  missing: 'missing on one side',
};

/**
 * The reconciliation room (`/double-codings/:id/reconciliation`): both blind codings side by side,
 * rows aligned and each difference highlighted (code, modifiers, units, pointers, a line one coder
 * missed), with fees. A reviewer (supervisor, admin) who coded neither side decides each row
 * (first, second, both, a line written new, or drop) with a reason, adds lines both missed, and
 * reconciles; the chart then goes on to its normal review. Afterwards the decisions show here.
 */
@Component({
  selector: 'cs-reconciliation-page',
  imports: [MatButtonModule, MatIconModule, RouterLink],
  templateUrl: './reconciliation-page.html',
  styleUrl: './reconciliation-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReconciliationPage {
  private readonly api = inject(AgreementApi);
  private readonly auth = inject(AuthService);
  private readonly route = inject(ActivatedRoute);

  private readonly id = toSignal(this.route.paramMap.pipe(map((p) => p.get('id') ?? '')), {
    initialValue: '',
  });
  protected readonly data = signal<Reconciliation | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly decisions = signal<RowDecision[]>([]);
  protected readonly added = signal<AddedLine[]>([]);
  protected readonly problems = signal<string[]>([]);
  protected readonly rowProblems = signal<ReadonlySet<number>>(new Set());
  protected readonly busy = signal(false);

  protected readonly canReconcile = computed(() => {
    const r = this.data();
    const user = this.auth.user();
    return (
      !!r &&
      !!user &&
      r.doubleCoding.status === 'reconciling' &&
      RECONCILERS.has(user.role) &&
      !r.doubleCoding.copies.some((c) => c.coder.id === user.id)
    );
  });
  protected readonly coders = computed(() => {
    const copies = this.data()?.doubleCoding.copies ?? [];
    return {
      first: copies.find((c) => c.slot === 1)?.coder.name ?? 'First coder',
      second: copies.find((c) => c.slot === 2)?.coder.name ?? 'Second coder',
    };
  });
  protected readonly totals = computed(() => {
    const rows = this.data()?.rows ?? [];
    const sum = (pick: (r: ReconciliationRow) => CodedLineView | null) =>
      rows.reduce((s, r) => s + (pick(r)?.feeCents ?? 0), 0);
    return { first: sum((r) => r.first), second: sum((r) => r.second) };
  });

  protected readonly choiceLabels = CHOICE_LABELS;
  protected readonly choicesFor = choicesFor;
  protected readonly statusLabel = (s: keyof typeof STATUS_LABELS) => STATUS_LABELS[s];
  protected readonly measureValue = measureValue;
  protected readonly unitCounts = unitCounts;
  protected readonly dollars = dollars;
  protected readonly dx = (codes: readonly string[]) => codes.map(formatIcd10Cm).join(', ');
  protected readonly differenceText = (row: ReconciliationRow) =>
    row.differences.map((d) => DIFFERENCE_LABELS[d]).join(', ');
  protected readonly differs = (row: ReconciliationRow, field: LineDifference) =>
    row.differences.includes(field);
  protected readonly fee = (line: CodedLineView | null) =>
    line?.feeCents === null || line?.feeCents === undefined ? '—' : dollars(line.feeCents);
  protected readonly lineText = (
    line: { code: string; modifiers: string[]; units: number } | null,
  ) => (line ? [line.code, ...line.modifiers].join('-') + ` ×${line.units}` : '—');

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => void this.load(id));
    });
  }

  protected choose(index: number, choice: string): void {
    this.rowProblems.update((rows) => new Set([...rows].filter((r) => r !== index)));
    this.update(index, (d) => {
      const row = this.data()!.rows[index]!;
      const source = (choice || null) as ReconciliationSource | null;
      const reason =
        source === 'both' && !d.reason && row.differences.length === 0 ? AGREE_REASON : d.reason;
      const line =
        source === 'new' && !d.line.code
          ? lineDraft(row.first ?? row.second)
          : source === 'second'
            ? lineDraft(row.second)
            : d.line;
      return { ...d, choice: source, reason, line };
    });
  }

  protected setReason(index: number, reason: string): void {
    this.update(index, (d) => ({ ...d, reason }));
  }

  protected setLine(index: number, field: keyof LineDraft, value: string): void {
    this.update(index, (d) => ({ ...d, line: { ...d.line, [field]: value } }));
  }

  protected addLine(): void {
    this.added.update((a) => [...a, { line: lineDraft(null), reason: '' }]);
  }

  protected setAdded(index: number, field: keyof LineDraft | 'reason', value: string): void {
    this.added.update((all) =>
      all.map((a, i) =>
        i !== index
          ? a
          : field === 'reason'
            ? { ...a, reason: value }
            : { ...a, line: { ...a.line, [field]: value } },
      ),
    );
  }

  protected removeAdded(index: number): void {
    this.added.update((all) => all.filter((_, i) => i !== index));
  }

  protected async reconcile(): Promise<void> {
    const r = this.data();
    if (!r) return;
    const built = buildCommand(r.rows, this.decisions(), this.added());
    if (!built.ok) {
      this.problems.set(built.problems.map((p) => p.message));
      this.rowProblems.set(new Set(built.problems.flatMap((p) => (p.row === null ? [] : [p.row]))));
      return;
    }
    this.problems.set([]);
    this.rowProblems.set(new Set());
    this.busy.set(true);
    try {
      await this.api.reconcile(r.doubleCoding.id, built.command);
      await this.load(r.doubleCoding.id);
    } catch (error) {
      this.problems.set([toApiError(error).message]);
    } finally {
      this.busy.set(false);
    }
  }

  private update(index: number, change: (d: RowDecision) => RowDecision): void {
    this.decisions.update((all) => all.map((d, i) => (i === index ? change(d) : d)));
  }

  private async load(id: string): Promise<void> {
    if (!id) return;
    this.error.set(null);
    try {
      const data = await this.api.reconciliation(id);
      if (this.id() !== id) return;
      this.data.set(data);
      this.decisions.set(data.rows.map(initialDecision));
      this.added.set([]);
    } catch (error) {
      if (this.id() === id) this.error.set(toApiError(error).message);
    }
  }
}
