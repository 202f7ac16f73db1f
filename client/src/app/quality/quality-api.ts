import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  ChartQualityResult,
  MyQuality,
  QualityChartsPage,
  QualityReport,
} from '@countersign/shared';
import { apiRequest as send } from '../core/api/api-error';
import type { ChartsParams, FilterParams } from './quality-filter';

/**
 * The quality programme's REST calls (`/api/quality/...`), typed with the shared contract; each
 * resolves with the body or rejects with an ApiError.
 */
@Injectable({ providedIn: 'root' })
export class QualityApi {
  private readonly http = inject(HttpClient);

  report(filter: FilterParams): Promise<QualityReport> {
    return send(
      this.http.get<QualityReport>('/api/quality/report', { params: params({ ...filter }) }),
    );
  }

  mine(period: { from?: string; to?: string }): Promise<MyQuality> {
    return send(this.http.get<MyQuality>('/api/quality/me', { params: params({ ...period }) }));
  }

  charts(query: ChartsParams & { page: number; pageSize: number }): Promise<QualityChartsPage> {
    return send(
      this.http.get<QualityChartsPage>('/api/quality/charts', { params: params({ ...query }) }),
    );
  }

  /** A chart's review result; rejects with status 404 until the chart has been approved. */
  result(encounterId: string): Promise<ChartQualityResult> {
    return send(this.http.get<ChartQualityResult>(`/api/quality/encounters/${encounterId}/result`));
  }
}

function params(values: Partial<Record<string, string | number>>): HttpParams {
  let result = new HttpParams();
  for (const [key, value] of Object.entries(values))
    if (value !== undefined && value !== '') result = result.set(key, String(value));
  return result;
}
