import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  AgreementReport,
  DoubleCoding,
  DoubleCodingStatus,
  DoubleCodingSummary,
  ReconcileCommand,
  Reconciliation,
} from '@countersign/shared';
import { apiRequest as send } from '../core/api/api-error';

/** The agreement report's filter as the address carries it. */
export interface AgreementParams {
  from?: string;
  to?: string;
  coderId?: string;
}

/**
 * Blind double coding, reconciliation and agreement over REST (the contract in
 * shared/src/agreement/double-coding.schema.ts); each call resolves with the body or rejects
 * with an ApiError.
 */
@Injectable({ providedIn: 'root' })
export class AgreementApi {
  private readonly http = inject(HttpClient);

  report(filter: AgreementParams): Promise<AgreementReport> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(filter))
      if (value) params = params.set(key, String(value));
    return send(this.http.get<AgreementReport>('/api/quality/agreement', { params }));
  }

  send(encounterId: string, coderIds: [string, string]): Promise<DoubleCoding> {
    return send(
      this.http.post<DoubleCoding>(`/api/encounters/${encounterId}/double-coding`, { coderIds }),
    );
  }

  list(status?: DoubleCodingStatus): Promise<DoubleCodingSummary[]> {
    const params = status ? new HttpParams().set('status', status) : new HttpParams();
    return send(this.http.get<DoubleCodingSummary[]>('/api/double-codings', { params }));
  }

  get(id: string): Promise<DoubleCoding> {
    return send(this.http.get<DoubleCoding>(`/api/double-codings/${id}`));
  }

  cancel(id: string, reason: string): Promise<DoubleCoding> {
    return send(this.http.post<DoubleCoding>(`/api/double-codings/${id}/cancel`, { reason }));
  }

  reconciliation(id: string): Promise<Reconciliation> {
    return send(this.http.get<Reconciliation>(`/api/double-codings/${id}/reconciliation`));
  }

  reconcile(id: string, command: ReconcileCommand): Promise<DoubleCoding> {
    return send(this.http.post<DoubleCoding>(`/api/double-codings/${id}/reconcile`, command));
  }
}
