import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  CourseProgress,
  Encounter,
  PracticeAttemptView,
  PracticeChart,
  PracticeChartInput,
  PracticeCourse,
  PracticeCourseInput,
  PracticeCoursePatch,
  PracticeFromEncounter,
  PromotionOffer,
  TraineeProgress,
} from '@countersign/shared';
import { firstValueFrom, type Observable } from 'rxjs';
import { toApiError } from '../core/api/api-error';

/**
 * The practice charts' REST calls (`/api/practice`, shared/src/practice/practice.schema.ts),
 * typed with the shared shapes; each resolves with the body or rejects with an ApiError.
 */
@Injectable({ providedIn: 'root' })
export class PracticeApi {
  private readonly http = inject(HttpClient);

  /** A real chart, for making a practice chart from it. */
  encounter(id: string): Promise<Encounter> {
    return send(this.http.get<Encounter>(`/api/encounters/${id}`));
  }

  my(): Promise<CourseProgress[]> {
    return send(this.http.get<CourseProgress[]>('/api/practice/my'));
  }

  courses(): Promise<PracticeCourse[]> {
    return send(this.http.get<PracticeCourse[]>('/api/practice/courses'));
  }

  createCourse(course: PracticeCourseInput): Promise<PracticeCourse> {
    return send(this.http.post<PracticeCourse>('/api/practice/courses', course));
  }

  updateCourse(id: string, patch: PracticeCoursePatch): Promise<PracticeCourse> {
    return send(this.http.patch<PracticeCourse>(`/api/practice/courses/${id}`, patch));
  }

  charts(courseId: string): Promise<PracticeChart[]> {
    return send(this.http.get<PracticeChart[]>(`/api/practice/courses/${courseId}/charts`));
  }

  createChart(chart: PracticeChartInput): Promise<PracticeChart> {
    return send(this.http.post<PracticeChart>('/api/practice/charts', chart));
  }

  fromEncounter(body: PracticeFromEncounter): Promise<PracticeChart> {
    return send(this.http.post<PracticeChart>('/api/practice/charts/from-encounter', body));
  }

  archiveChart(id: string, archived: boolean): Promise<PracticeChart> {
    return send(this.http.patch<PracticeChart>(`/api/practice/charts/${id}`, { archived }));
  }

  start(chartId: string): Promise<PracticeAttemptView> {
    return send(
      this.http.post<PracticeAttemptView>(`/api/practice/charts/${chartId}/attempts`, {}),
    );
  }

  attempt(id: string): Promise<PracticeAttemptView> {
    return send(this.http.get<PracticeAttemptView>(`/api/practice/attempts/${id}`));
  }

  attemptOf(encounterId: string): Promise<PracticeAttemptView> {
    return send(
      this.http.get<PracticeAttemptView>(`/api/practice/attempts/by-encounter/${encounterId}`),
    );
  }

  submit(attemptId: string): Promise<PracticeAttemptView> {
    return send(
      this.http.post<PracticeAttemptView>(`/api/practice/attempts/${attemptId}/submit`, {}),
    );
  }

  progress(): Promise<TraineeProgress[]> {
    return send(this.http.get<TraineeProgress[]>('/api/practice/progress'));
  }

  setTrainee(userId: string, trainee: boolean): Promise<TraineeProgress> {
    return send(this.http.put<TraineeProgress>(`/api/practice/trainees/${userId}`, { trainee }));
  }

  offers(): Promise<PromotionOffer[]> {
    return send(this.http.get<PromotionOffer[]>('/api/practice/offers'));
  }

  promote(offerId: string): Promise<PromotionOffer> {
    return send(this.http.post<PromotionOffer>(`/api/practice/offers/${offerId}/promote`, {}));
  }

  decline(offerId: string, note: string): Promise<PromotionOffer> {
    return send(
      this.http.post<PromotionOffer>(`/api/practice/offers/${offerId}/decline`, { note }),
    );
  }
}

async function send<T>(request: Observable<T>): Promise<T> {
  try {
    return await firstValueFrom(request);
  } catch (error) {
    throw toApiError(error);
  }
}
