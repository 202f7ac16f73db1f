import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { MatButtonModule } from '@angular/material/button';
import { Router, RouterLink } from '@angular/router';
import type { CreateEncounter } from '@countersign/shared';
import { ApiClient } from '../../core/api/api-client';
import { Notifier } from '../../core/errors/notifier';
import {
  EncounterForm,
  serverFieldErrors,
  type FieldErrors,
} from '../encounter-form/encounter-form';

/**
 * "New encounter": one chart typed in (or its note read from a file), created as a draft
 * through `POST /api/encounters`; the page then opens it. A refusal shows on its field.
 */
@Component({
  selector: 'cs-new-encounter-page',
  imports: [RouterLink, MatButtonModule, MatIconModule, EncounterForm],
  templateUrl: './new-encounter-page.html',
  styleUrl: './new-encounter-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NewEncounterPage {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);

  protected readonly saving = signal(false);
  protected readonly serverErrors = signal<FieldErrors>({});

  protected async create(input: CreateEncounter): Promise<void> {
    if (this.saving()) return;
    this.saving.set(true);
    this.serverErrors.set({});
    try {
      const created = await this.api.createEncounter(input);
      this.notifier.info(`Encounter for ${created.patient.name} created`);
      await this.router.navigate(['/encounters', created.id]);
    } catch (error) {
      this.serverErrors.set(serverFieldErrors(error));
    } finally {
      this.saving.set(false);
    }
  }

  protected cancel(): void {
    void this.router.navigate(['/worklist']);
  }
}
