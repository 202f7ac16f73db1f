import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { isProcedureCode, normalizeCode, type PrecedentPage } from '@countersign/shared';
import { map } from 'rxjs';
import { toApiError } from '../../core/api/api-error';
import { PrecedentsApi } from '../precedents-api';

type StatusFilter = 'active' | 'retired' | 'all';

const TYPING_PAUSE_MS = 300;

/**
 * The precedent library: how the organization's disputes were settled, searchable by code or
 * words, for everyone. The search and the status filter are in the address, so a link (or the
 * room's "See precedent") opens the same list.
 */
@Component({
  selector: 'cs-precedents-page',
  imports: [DatePipe, ReactiveFormsModule, MatButtonModule, MatIconModule, RouterLink],
  templateUrl: './precedents-page.html',
  styleUrl: './precedents-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PrecedentsPage {
  private readonly api = inject(PrecedentsApi);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  protected readonly statuses: readonly StatusFilter[] = ['active', 'retired', 'all'];
  private readonly params = toSignal(
    this.route.queryParamMap.pipe(
      map((p) => ({
        q: p.get('q') ?? '',
        status: (p.get('status') ?? 'active') as StatusFilter,
      })),
    ),
    { initialValue: { q: '', status: 'active' } },
  );
  protected readonly search = new FormControl('', { nonNullable: true });
  protected readonly status = new FormControl<StatusFilter>('active', { nonNullable: true });
  protected readonly page = signal<PrecedentPage | null>(null);
  protected readonly error = signal<string | null>(null);
  private typing: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    effect(() => {
      const params = this.params();
      untracked(() => void this.load(params.q, params.status));
    });
    inject(DestroyRef).onDestroy(() => clearTimeout(this.typing));
  }

  /** Searches once the person pauses typing. */
  protected typed(): void {
    clearTimeout(this.typing);
    this.typing = setTimeout(() => this.navigate(), TYPING_PAUSE_MS);
  }

  protected navigate(): void {
    clearTimeout(this.typing);
    const q = this.search.value.trim();
    const status = this.status.value;
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { q: q || null, status: status === 'active' ? null : status },
      replaceUrl: true,
    });
  }

  private async load(q: string, status: StatusFilter): Promise<void> {
    this.search.setValue(q, { emitEvent: false });
    this.status.setValue(status, { emitEvent: false });
    this.error.set(null);
    // A CPT or HCPCS code alone searches that code exactly; anything else (a word such as
    // "knee", a precedent's number) searches words, codes and numbers.
    const code = normalizeCode(q);
    const query = isProcedureCode(code) ? { code, status } : { q, status };
    try {
      const page = await this.api.search({ ...query, pageSize: '100' });
      if (this.params().q === q && this.params().status === status) this.page.set(page);
    } catch (error) {
      this.error.set(toApiError(error).message);
    }
  }
}
