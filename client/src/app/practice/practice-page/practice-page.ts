import { DatePipe, PercentPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import {
  canReadTeamQuality,
  type CourseProgress,
  type PracticeChart,
  type PracticeCourse,
  type PromotionOffer,
  type TeamMember,
  type TraineeProgress,
} from '@countersign/shared';
import { ApiClient } from '../../core/api/api-client';
import { AuthService } from '../../core/auth/auth.service';
import { PracticeApi } from '../practice-api';

/**
 * Practice charts (docs/domain.md section 11.1). A coder sees their courses with progress and
 * starts or continues a chart in the room; a supervisor or an admin also sees promotion offers,
 * every trainee's progress, marks trainees, and manages courses and their charts.
 */
@Component({
  selector: 'cs-practice-page',
  imports: [
    DatePipe,
    PercentPipe,
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
  ],
  templateUrl: './practice-page.html',
  styleUrl: './practice-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PracticePage {
  private readonly api = inject(PracticeApi);
  private readonly client = inject(ApiClient);
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);

  protected readonly manager = computed(() => {
    const role = this.auth.user()?.role;
    return !!role && canReadTeamQuality(role);
  });
  protected readonly isCoder = computed(() => this.auth.user()?.role === 'coder');
  protected readonly my = signal<CourseProgress[] | null>(null);
  protected readonly courses = signal<PracticeCourse[]>([]);
  protected readonly charts = signal<Record<string, PracticeChart[]>>({});
  protected readonly progress = signal<TraineeProgress[]>([]);
  protected readonly offers = signal<PromotionOffer[]>([]);
  protected readonly coders = signal<TeamMember[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly openOffers = computed(() => this.offers().filter((o) => o.status === 'open'));
  protected readonly notTrainees = computed(() => {
    const trainees = new Set(
      this.progress()
        .filter((p) => p.isTrainee)
        .map((p) => p.trainee.id),
    );
    return this.coders().filter(
      (c) => c.role === 'coder' && c.active !== false && !trainees.has(c.id),
    );
  });

  protected newCourse = { title: '', description: '', passPercent: 80, minCharts: 3 };
  protected traineeToMark = '';
  protected declineNotes: Record<string, string> = {};

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    try {
      if (this.isCoder()) this.my.set(await this.api.my());
      if (this.manager()) {
        const [courses, progress, offers, team] = await Promise.all([
          this.api.courses(),
          this.api.progress(),
          this.api.offers(),
          this.client.team(),
        ]);
        this.courses.set(courses);
        this.progress.set(progress);
        this.offers.set(offers);
        this.coders.set(team);
        const charts: Record<string, PracticeChart[]> = {};
        for (const course of courses) charts[course.id] = await this.api.charts(course.id);
        this.charts.set(charts);
      }
    } catch (error) {
      this.error.set((error as Error).message);
    }
  }

  protected async open(chartId: string): Promise<void> {
    await this.run(async () => {
      const attempt = await this.api.start(chartId);
      await this.router.navigate(['/encounters', attempt.encounterId]);
    });
  }

  protected async createCourse(): Promise<void> {
    await this.run(async () => {
      await this.api.createCourse({ ...this.newCourse });
      this.newCourse = { title: '', description: '', passPercent: 80, minCharts: 3 };
      await this.load();
    });
  }

  protected async archiveChart(chart: PracticeChart): Promise<void> {
    await this.run(async () => {
      await this.api.archiveChart(chart.id, !chart.archived);
      await this.load();
    });
  }

  protected async markTrainee(userId: string, trainee: boolean): Promise<void> {
    if (!userId) return;
    await this.run(async () => {
      await this.api.setTrainee(userId, trainee);
      this.traineeToMark = '';
      await this.load();
    });
  }

  protected async promote(offer: PromotionOffer): Promise<void> {
    await this.run(async () => {
      await this.api.promote(offer.id);
      await this.load();
    });
  }

  protected async decline(offer: PromotionOffer): Promise<void> {
    await this.run(async () => {
      await this.api.decline(offer.id, this.declineNotes[offer.id] ?? '');
      await this.load();
    });
  }

  private async run(work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await work();
    } catch (error) {
      this.error.set((error as Error).message);
    } finally {
      this.busy.set(false);
    }
  }
}
