import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { Router, RouterLink } from '@angular/router';
import type { Encounter, PracticeCourse } from '@countersign/shared';
import { describeLine } from '../score-page/score-page';
import { PracticeApi } from '../practice-api';

/**
 * "Make practice chart" from a signed-off chart (docs/domain.md section 11.1): its billed lines
 * become the answer key; the supervisor writes an explanation for each, picks the course and
 * whether the patient's name, MRN and date of birth are replaced by made-up ones.
 */
@Component({
  selector: 'cs-make-chart-page',
  imports: [FormsModule, RouterLink, MatButtonModule, MatIconModule],
  template: `
    <main class="page">
      <a mat-button [routerLink]="['/encounters', encounterId()]">
        <mat-icon svgIcon="arrow_back" aria-hidden="true" /> Back to the chart
      </a>
      <h1>Make a practice chart</h1>
      @if (error(); as message) {
        <p class="error" role="alert" data-testid="make-error">{{ message }}</p>
      }
      @if (encounter(); as e) {
        <form class="card" (ngSubmit)="save()">
          <p class="muted">
            From {{ e.patient.name }}'s chart of {{ e.dateOfService }} ({{ e.provider.name }}). Its
            final lines are the answer key: explain each one for the trainee.
          </p>
          <div class="inline-form">
            <label
              >Course
              <select class="input" name="course" [(ngModel)]="courseId" data-testid="make-course">
                @for (course of courses(); track course.id) {
                  <option [value]="course.id">{{ course.title }}</option>
                }
              </select>
            </label>
            <label
              >Title
              <input class="input" name="title" [(ngModel)]="title" data-testid="make-title" />
            </label>
            <label>
              <input type="checkbox" name="madeUp" [(ngModel)]="madeUp" />
              Replace the patient's name, MRN and date of birth with made-up ones
            </label>
          </div>
          @for (line of billed(); track line.id; let i = $index) {
            <div class="key-line">
              <strong>{{ describe(line) }}</strong>
              <textarea
                class="input"
                rows="2"
                [name]="'explanation' + i"
                [(ngModel)]="explanations[i]"
                placeholder="Why this line is billed this way"
                data-testid="make-explanation"
              ></textarea>
            </div>
          }
          <button mat-flat-button type="submit" [disabled]="busy()" data-testid="make-save">
            Make practice chart
          </button>
        </form>
      }
    </main>
  `,
  styleUrl: './make-chart-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MakeChartPage {
  private readonly api = inject(PracticeApi);
  private readonly router = inject(Router);
  readonly encounterId = input.required<string>();
  protected readonly encounter = signal<Encounter | null>(null);
  protected readonly courses = signal<PracticeCourse[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly describe = describeLine;
  protected readonly billed = computed(
    () => this.encounter()?.lines.filter((l) => l.review.state !== 'rejected') ?? [],
  );
  protected courseId = '';
  protected title = '';
  protected madeUp = true;
  protected explanations: string[] = [];

  constructor() {
    queueMicrotask(() => void this.load());
  }

  private async load(): Promise<void> {
    try {
      const [encounter, courses] = await Promise.all([
        this.api.encounter(this.encounterId()),
        this.api.courses(),
      ]);
      const open = courses.filter((c) => !c.archived);
      this.courses.set(open);
      this.courseId = open[0]?.id ?? '';
      this.encounter.set(encounter);
      this.explanations = encounter.lines.map(() => '');
    } catch (error) {
      this.error.set((error as Error).message);
    }
  }

  protected async save(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.api.fromEncounter({
        courseId: this.courseId,
        encounterId: this.encounterId(),
        title: this.title,
        explanations: this.explanations.slice(0, this.billed().length),
        madeUpPatient: this.madeUp,
      });
      await this.router.navigate(['/practice']);
    } catch (error) {
      this.error.set((error as Error).message);
    } finally {
      this.busy.set(false);
    }
  }
}
