import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  CoderReviewLevel,
  RecordedSamplingDecision,
  ReviewLevel,
  SamplingPolicy,
} from '@countersign/shared';
import { firstValueFrom, type Observable } from 'rxjs';
import { toApiError } from '../core/api/api-error';

/**
 * The sampling's REST calls (`/api/sampling`, `/api/encounters/:id/sampling`), typed with the
 * shared shapes; each resolves with the body or rejects with an ApiError.
 */
@Injectable({ providedIn: 'root' })
export class SamplingApi {
  private readonly http = inject(HttpClient);

  policy(): Promise<SamplingPolicy> {
    return send(this.http.get<SamplingPolicy>('/api/sampling/policy'));
  }

  savePolicy(policy: SamplingPolicy): Promise<SamplingPolicy> {
    return send(this.http.put<SamplingPolicy>('/api/sampling/policy', policy));
  }

  levels(): Promise<CoderReviewLevel[]> {
    return send(this.http.get<CoderReviewLevel[]>('/api/sampling/levels'));
  }

  myLevel(): Promise<ReviewLevel> {
    return send(this.http.get<ReviewLevel>('/api/sampling/my-level'));
  }

  /** The chart's latest decision; rejects with `not_found` before its first submit. */
  decision(encounterId: string): Promise<RecordedSamplingDecision> {
    return send(this.http.get<RecordedSamplingDecision>(`/api/encounters/${encounterId}/sampling`));
  }
}

async function send<T>(request: Observable<T>): Promise<T> {
  try {
    return await firstValueFrom(request);
  } catch (error) {
    throw toApiError(error);
  }
}
