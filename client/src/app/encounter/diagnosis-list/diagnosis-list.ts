import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import {
  DiagnosisListSchema,
  MAX_DIAGNOSES,
  diagnosisLetter,
  formatIcd10Cm,
  type CodeSystem,
  type Encounter,
} from '@countersign/shared';
import { ApiClient } from '../../core/api/api-client';
import { toApiError } from '../../core/api/api-error';
import { LiveRoom } from '../../core/realtime/live-room';
import { CatalogLookup } from '../../core/catalog/catalog-lookup';
import { CodeTypeahead } from '../../core/catalog/code-typeahead';
import { Notifier } from '../../core/errors/notifier';

/**
 * The encounter's ICD-10-CM diagnoses in claim order (letters A-L). Adding or removing one
 * saves the whole list against the version shown, so a change made meanwhile is refused as a
 * conflict (and the room takes the chart the server sent); the shown list changes when the
 * room's event arrives.
 */
@Component({
  selector: 'cs-diagnosis-list',
  imports: [
    ReactiveFormsModule,
    MatAutocompleteModule,
    CodeTypeahead,
    MatButtonModule,
    MatIconModule,
    MatTooltipModule,
  ],
  templateUrl: './diagnosis-list.html',
  styleUrl: './diagnosis-list.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DiagnosisList {
  private readonly api = inject(ApiClient);
  private readonly catalog = inject(CatalogLookup);
  private readonly notifier = inject(Notifier);
  private readonly room = inject(LiveRoom);

  readonly encounter = input.required<Encounter>();
  readonly disabled = input(false);
  protected readonly diagnoses = computed(() => this.encounter().diagnoses);

  protected readonly maxDiagnoses = MAX_DIAGNOSES;
  protected readonly diagnosisSystems: readonly CodeSystem[] = ['ICD10CM'];
  protected readonly newCode = new FormControl('', { nonNullable: true });
  protected readonly error = signal<string | null>(null);
  protected readonly saving = signal(false);

  protected letter(index: number): string {
    return diagnosisLetter(index);
  }

  protected display(code: string): string {
    return formatIcd10Cm(code);
  }

  protected description(code: string): string {
    return this.catalog.find(code, ['ICD10CM'])?.shortDescription ?? '';
  }

  protected async add(): Promise<void> {
    const code = this.newCode.value.trim();
    if (!code || this.saving()) return;
    const parsed = DiagnosisListSchema.safeParse([...this.diagnoses(), code]);
    if (!parsed.success) {
      this.error.set(parsed.error.issues[0]?.message ?? 'Check the code.');
      return;
    }
    if (await this.save(parsed.data)) this.newCode.setValue('');
  }

  protected async remove(index: number): Promise<void> {
    if (this.saving()) return;
    await this.save(this.diagnoses().filter((_, i) => i !== index));
  }

  private async save(diagnoses: string[]): Promise<boolean> {
    this.saving.set(true);
    try {
      await this.api.updateEncounter(this.encounter().id, { diagnoses }, this.encounter().version);
      this.error.set(null);
      return true;
    } catch (error) {
      const refusal = toApiError(error);
      const current = (refusal.details as { encounter?: Encounter } | undefined)?.encounter;
      if (refusal.code === 'conflict' && current) {
        this.room.adopt(current);
        this.error.set(
          'Someone changed the chart while you were typing; your change was not applied. Here is the list as it is now: try again.',
        );
      } else {
        this.error.set(refusal.message);
        this.notifier.error(error);
      }
      return false;
    } finally {
      this.saving.set(false);
    }
  }
}
