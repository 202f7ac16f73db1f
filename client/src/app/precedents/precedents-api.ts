import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  Precedent,
  PrecedentDetail,
  PrecedentEdit,
  PrecedentPage,
  PrecedentSearchQueryInput,
} from '@countersign/shared';
import { apiRequest as send } from '../core/api/api-error';

/**
 * The precedent library's REST calls (`/api/precedents`), typed with the shared shapes; each
 * resolves with the body or rejects with an ApiError.
 */
@Injectable({ providedIn: 'root' })
export class PrecedentsApi {
  private readonly http = inject(HttpClient);

  search(query: PrecedentSearchQueryInput): Promise<PrecedentPage> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(query))
      if (value !== undefined && value !== '') params = params.set(key, String(value));
    return send(this.http.get<PrecedentPage>('/api/precedents', { params }));
  }

  detail(number: number): Promise<PrecedentDetail> {
    return send(this.http.get<PrecedentDetail>(`/api/precedents/${number}`));
  }

  /** The active precedents whose codes are all on the chart's billed lines. */
  forChart(encounterId: string): Promise<Precedent[]> {
    return send(this.http.get<Precedent[]>(`/api/precedents/for-chart/${encounterId}`));
  }

  edit(number: number, edit: PrecedentEdit): Promise<PrecedentDetail> {
    return send(this.http.patch<PrecedentDetail>(`/api/precedents/${number}`, edit));
  }

  retire(number: number, reason: string): Promise<PrecedentDetail> {
    return send(this.http.post<PrecedentDetail>(`/api/precedents/${number}/retire`, { reason }));
  }

  reactivate(number: number, reason: string): Promise<PrecedentDetail> {
    return send(
      this.http.post<PrecedentDetail>(`/api/precedents/${number}/reactivate`, { reason }),
    );
  }
}

/** "99213 with 20610": the codes a precedent is about, as a sentence reads them. */
export function codesPhrase(codes: readonly string[]): string {
  return codes.join(' with ');
}
