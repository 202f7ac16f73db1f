import {
  ChangeDetectionStrategy,
  Component,
  computed,
  type ElementRef,
  inject,
  input,
  output,
  viewChild,
} from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import type { FormControl } from '@angular/forms';
import {
  MatAutocomplete,
  MatAutocompleteModule,
  type MatAutocompleteTrigger,
} from '@angular/material/autocomplete';
import { formatIcd10Cm, type CatalogSearchHit, type CodeSystem } from '@countersign/shared';
import {
  catchError,
  debounceTime,
  distinctUntilChanged,
  map,
  of,
  startWith,
  switchMap,
} from 'rxjs';
import { ApiClient } from '../api/api-client';

/** How long typing pauses before the catalogue is asked. */
export const TYPEAHEAD_DEBOUNCE_MS = 120;

/** One suggestion as shown: the code, what it is, and whether it may be billed on the date of service. */
export interface CodeOption {
  hit: CatalogSearchHit;
  /** What goes into the field: ICD-10-CM codes with their dot. */
  value: string;
  /** "Terminated 2024-12-31", "Not in effect until 2026-01-01", "Header, not billable"; null when fine. */
  problem: string | null;
}

function optionOf(hit: CatalogSearchHit, date: string | null): CodeOption {
  const value = hit.system === 'ICD10CM' ? formatIcd10Cm(hit.code) : hit.code;
  let problem: string | null = null;
  if (date && hit.terminationDate && hit.terminationDate < date)
    problem = `Terminated ${hit.terminationDate}`;
  else if (date && hit.effectiveDate > date) problem = `Not in effect until ${hit.effectiveDate}`;
  else if (hit.system === 'ICD10CM' && !hit.billable) problem = 'Header, not billable';
  return { hit, value, problem };
}

/**
 * The keyboard-first code typeahead: a Material autocomplete panel that follows a code field.
 * Put `[matAutocomplete]="typeahead.panel()"` on the input; typing asks the catalogue (after a
 * short pause, a newer keystroke cancelling the older request), arrows move, Enter picks,
 * Escape closes. Enter with nothing picked is left to the field (add the typed code).
 */
@Component({
  selector: 'cs-code-typeahead',
  exportAs: 'csCodeTypeahead',
  imports: [MatAutocompleteModule],
  template: `
    <mat-autocomplete
      class="cs-code-typeahead"
      [hideSingleSelectionIndicator]="true"
      [autoActiveFirstOption]="false"
      (optionSelected)="picked.emit($event.option.value)"
    >
      @for (option of options(); track option.hit.system + option.hit.code) {
        <mat-option
          [value]="option.value"
          data-testid="typeahead-option"
          [attr.data-code]="option.hit.code"
          [class.typeahead-problem]="option.problem"
        >
          <span class="typeahead-row">
            <span class="typeahead-code">{{ option.value }}</span>
            <span class="typeahead-description">{{ option.hit.shortDescription }}</span>
            @if (option.problem) {
              <span
                class="typeahead-flag typeahead-flag--problem"
                data-testid="typeahead-problem"
                >{{ option.problem }}</span
              >
            } @else if (option.hit.system === 'ICD10CM') {
              <span class="typeahead-flag">Billable</span>
            } @else {
              <span class="typeahead-flag">{{ option.hit.system }}</span>
            }
          </span>
        </mat-option>
      }
    </mat-autocomplete>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CodeTypeahead {
  private readonly api = inject(ApiClient);

  /** The field's control: its value is the query. */
  readonly control = input.required<FormControl<string>>();
  readonly systems = input.required<readonly CodeSystem[]>();
  /** The chart's date of service: which codes are in effect. */
  readonly date = input<string | null>(null);

  /** A code was picked from the panel (it is in the field already). */
  readonly picked = output<string>();

  readonly panel = viewChild.required(MatAutocomplete);

  private readonly hits = toSignal(
    toObservable(this.control).pipe(
      switchMap((control) => control.valueChanges.pipe(startWith(control.value))),
      map((value) => (value ?? '').trim()),
      debounceTime(TYPEAHEAD_DEBOUNCE_MS),
      distinctUntilChanged(),
      switchMap((q) =>
        q
          ? this.api
              .searchCodes(q, this.systems(), this.date())
              .pipe(catchError(() => of<CatalogSearchHit[]>([])))
          : of<CatalogSearchHit[]>([]),
      ),
    ),
    { initialValue: [] },
  );
  protected readonly options = computed(() => this.hits().map((hit) => optionOf(hit, this.date())));

  /**
   * Whether a key press on the field belongs to the panel: Enter that picks the highlighted
   * option, or Escape that closes the open panel. The field's own Enter/Escape wait then.
   */
  handles(event: Event, trigger: MatAutocompleteTrigger): boolean {
    const key = (event as KeyboardEvent).key;
    if (key === 'Escape') return trigger.panelOpen;
    if (key === 'Enter') {
      if (trigger.activeOption || (event.defaultPrevented && trigger.autocomplete === this.panel()))
        return true;
      trigger.closePanel();
    }
    return false;
  }

  /** Closes the panel when focus leaves the field for anything but the panel itself. */
  left(event: FocusEvent, trigger: MatAutocompleteTrigger): void {
    const to = event.relatedTarget as Node | null;
    // Material types the panel's element as `any`; it is the panel's root element.
    const panel = this.panel().panel as ElementRef<HTMLElement> | undefined;
    if (to && panel?.nativeElement.contains(to)) return;
    trigger.closePanel();
  }
}
