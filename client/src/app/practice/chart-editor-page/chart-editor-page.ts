import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { Router, RouterLink } from '@angular/router';
import type { PracticeChartInput } from '@countersign/shared';
import { PracticeApi } from '../practice-api';

interface KeyRow {
  code: string;
  modifiers: string;
  units: number;
  pointers: string;
  explanation: string;
}

const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The body of a from-scratch practice chart from the editor's text fields. */
export function toChartInput(
  courseId: string,
  form: {
    title: string;
    patientName: string;
    mrn: string;
    dateOfBirth: string;
    dateOfService: string;
    provider: string;
    placeOfService: string;
    note: string;
    diagnoses: string;
  },
  rows: readonly KeyRow[],
): PracticeChartInput {
  return {
    courseId,
    title: form.title,
    patient: { name: form.patientName, mrn: form.mrn, dateOfBirth: form.dateOfBirth },
    dateOfService: form.dateOfService,
    provider: { name: form.provider, npi: null },
    placeOfService: form.placeOfService,
    clinicalNote: form.note,
    diagnoses: list(form.diagnoses),
    keyLines: rows.map((row) => ({
      code: row.code,
      modifiers: list(row.modifiers),
      units: Number(row.units),
      pointers: list(
        row.pointers.toUpperCase(),
      ) as PracticeChartInput['keyLines'][number]['pointers'],
      explanation: row.explanation,
    })),
  };
}

/** A practice chart written from scratch: the note, the diagnoses and the answer key with explanations. */
@Component({
  selector: 'cs-chart-editor-page',
  imports: [FormsModule, RouterLink, MatButtonModule, MatIconModule],
  templateUrl: './chart-editor-page.html',
  styleUrl: './chart-editor-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChartEditorPage {
  private readonly api = inject(PracticeApi);
  private readonly router = inject(Router);
  readonly courseId = input.required<string>();
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected form = {
    title: '',
    patientName: 'Practice, Pat',
    mrn: 'PR-000001',
    dateOfBirth: '1970-01-01',
    dateOfService: new Date().toISOString().slice(0, 10),
    provider: '',
    placeOfService: '11',
    note: '',
    diagnoses: '',
  };
  protected rows = signal<KeyRow[]>([this.emptyRow()]);

  protected emptyRow(): KeyRow {
    return { code: '', modifiers: '', units: 1, pointers: 'A', explanation: '' };
  }

  protected addRow(): void {
    this.rows.update((rows) => [...rows, this.emptyRow()]);
  }

  protected removeRow(index: number): void {
    this.rows.update((rows) => rows.filter((_, i) => i !== index));
  }

  protected async save(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.api.createChart(toChartInput(this.courseId(), this.form, this.rows()));
      await this.router.navigate(['/practice']);
    } catch (error) {
      const e = error as Error & { details?: { issues?: { path: string; message: string }[] } };
      const issues = e.details?.issues?.map((i) => `${i.path}: ${i.message}`).join('; ');
      this.error.set(issues ? `${e.message} (${issues})` : e.message);
    } finally {
      this.busy.set(false);
    }
  }
}
