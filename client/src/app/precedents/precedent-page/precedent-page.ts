import { DatePipe } from '@angular/common';
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
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { ActivatedRoute, RouterLink } from '@angular/router';
import {
  PRECEDENT_EDITABLE,
  PrecedentEditSchema,
  organizationRefusal,
  type PrecedentDetail,
  type PrecedentEdit,
  type PrecedentRevision,
} from '@countersign/shared';
import { map } from 'rxjs';
import { toApiError } from '../../core/api/api-error';
import { AuthService } from '../../core/auth/auth.service';
import { PrecedentsApi } from '../precedents-api';

const FIELD_LABELS: Readonly<Record<string, string>> = {
  question: 'Question',
  codes: 'Codes',
  modifiers: 'Modifiers',
  decision: 'Decision',
  reasoning: 'Reasoning',
  status: 'Status',
  retiredReason: 'Reason retired',
};

/** One line of a revision: a field, what it was and what it became. */
export interface RevisionChange {
  field: string;
  before: string;
  after: string;
}

/** The changed fields of a revision, as the history lists them. */
export function revisionChanges(revision: PrecedentRevision): RevisionChange[] {
  const show = (value: unknown): string => {
    if (Array.isArray(value)) return value.join(', ') || '—';
    return typeof value === 'string' && value ? value : '—';
  };
  return Object.keys(revision.after).map((field) => ({
    field: FIELD_LABELS[field] ?? field,
    before: show(revision.before[field]),
    after: show(revision.after[field]),
  }));
}

/** "99213, 20610" or "99213 20610" as a list of codes, upper case. */
function splitCodes(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
}

/**
 * One precedent: the question, the decision and its reasoning, the chart it came from and who
 * decided, with its history. A supervisor or an admin edits it (each edit kept as a revision),
 * retires it with a reason (out of the room and the default search) or reactivates it.
 */
@Component({
  selector: 'cs-precedent-page',
  imports: [DatePipe, ReactiveFormsModule, MatButtonModule, MatIconModule, RouterLink],
  templateUrl: './precedent-page.html',
  styleUrl: './precedent-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PrecedentPage {
  private readonly api = inject(PrecedentsApi);
  private readonly auth = inject(AuthService);
  private readonly route = inject(ActivatedRoute);

  private readonly number = toSignal(
    this.route.paramMap.pipe(map((p) => Number(p.get('number')))),
    { initialValue: NaN },
  );
  protected readonly detail = signal<PrecedentDetail | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly actionError = signal<string | null>(null);
  protected readonly mode = signal<'view' | 'edit' | 'status'>('view');
  protected readonly busy = signal(false);
  protected readonly canEdit = computed(() => {
    const user = this.auth.user();
    return user !== null && organizationRefusal('precedent.edit', user) === null;
  });
  protected readonly changes = revisionChanges;
  protected readonly form = new FormGroup({
    question: new FormControl('', { nonNullable: true }),
    codes: new FormControl('', { nonNullable: true }),
    modifiers: new FormControl('', { nonNullable: true }),
    decision: new FormControl('', { nonNullable: true }),
    reasoning: new FormControl('', { nonNullable: true }),
  });
  protected readonly statusForm = new FormGroup({
    reason: new FormControl('', { nonNullable: true }),
  });

  constructor() {
    effect(() => {
      const number = this.number();
      untracked(() => void this.load(number));
    });
  }

  protected startEdit(): void {
    const p = this.detail()?.precedent;
    if (!p) return;
    this.form.setValue({
      question: p.question,
      codes: p.codes.join(', '),
      modifiers: p.modifiers.join(', '),
      decision: p.decision,
      reasoning: p.reasoning,
    });
    this.actionError.set(null);
    this.mode.set('edit');
  }

  protected startStatusChange(): void {
    this.statusForm.setValue({ reason: '' });
    this.actionError.set(null);
    this.mode.set('status');
  }

  protected cancel(): void {
    this.mode.set('view');
    this.actionError.set(null);
  }

  protected async save(): Promise<void> {
    const p = this.detail()?.precedent;
    if (!p) return;
    const raw = this.form.getRawValue();
    const parsed = PrecedentEditSchema.safeParse({
      ...raw,
      codes: splitCodes(raw.codes),
      modifiers: splitCodes(raw.modifiers),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = FIELD_LABELS[String(issue?.path[0])] ?? 'A field';
      return this.actionError.set(`${field}: ${issue?.message ?? 'is not valid'}`);
    }
    // Only what this person changed: an edit saved meanwhile by someone else to another field stands.
    const changed: PrecedentEdit = {};
    for (const field of PRECEDENT_EDITABLE) {
      const value = parsed.data[field];
      if (value !== undefined && JSON.stringify(value) !== JSON.stringify(p[field]))
        Object.assign(changed, { [field]: value });
    }
    if (Object.keys(changed).length === 0) return this.actionError.set('Nothing has changed.');
    await this.act(() => this.api.edit(p.number, changed));
  }

  protected async changeStatus(): Promise<void> {
    const p = this.detail()?.precedent;
    const reason = this.statusForm.controls.reason.value.trim();
    if (!p) return;
    if (!reason) return this.actionError.set('Say why.');
    await this.act(() =>
      p.status === 'active'
        ? this.api.retire(p.number, reason)
        : this.api.reactivate(p.number, reason),
    );
  }

  private async act(call: () => Promise<PrecedentDetail>): Promise<void> {
    this.busy.set(true);
    this.actionError.set(null);
    try {
      this.detail.set(await call());
      this.mode.set('view');
    } catch (error) {
      this.actionError.set(toApiError(error).message);
    } finally {
      this.busy.set(false);
    }
  }

  private async load(number: number): Promise<void> {
    this.detail.set(null);
    this.error.set(null);
    this.mode.set('view');
    try {
      const detail = await this.api.detail(number);
      if (this.number() === number) this.detail.set(detail);
    } catch (error) {
      if (this.number() === number) this.error.set(toApiError(error).message);
    }
  }
}
