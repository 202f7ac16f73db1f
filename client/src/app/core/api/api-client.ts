import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  CatalogCode,
  CatalogLookupResponse,
  Encounter,
  EncounterStatus,
  EncounterSummary,
  LoginRequest,
  SessionResponse,
  UpdateEncounterInput,
  WorklistResponse,
} from '@countersign/shared';
import { firstValueFrom, type Observable } from 'rxjs';
import { toApiError } from './api-error';

/** `assignee` of the worklist query: the caller, nobody, or a user id. */
export type WorklistAssignee = 'me' | 'unassigned' | (string & {});

export interface WorklistFilter {
  status?: readonly EncounterStatus[];
  assignee?: WorklistAssignee;
}

/**
 * The REST API, typed with the shared shapes. Every method resolves with the body or rejects
 * with an ApiError, so callers never see HttpErrorResponse.
 */
@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly http = inject(HttpClient);

  login(request: LoginRequest): Promise<SessionResponse> {
    return this.send(this.http.post<SessionResponse>('/api/auth/login', request));
  }

  logout(): Promise<void> {
    return this.send(this.http.post<void>('/api/auth/logout', null));
  }

  /** The current session; also renews the session cookie. */
  session(): Promise<SessionResponse> {
    return this.send(this.http.get<SessionResponse>('/api/auth/session'));
  }

  async worklist(filter: WorklistFilter): Promise<EncounterSummary[]> {
    let params = new HttpParams();
    if (filter.status?.length) params = params.set('status', filter.status.join(','));
    if (filter.assignee) params = params.set('assignee', filter.assignee);
    return (await this.send(this.http.get<WorklistResponse>('/api/encounters', { params }))).items;
  }

  updateEncounter(id: string, input: UpdateEncounterInput): Promise<Encounter> {
    return this.send(this.http.patch<Encounter>(`/api/encounters/${encodeURIComponent(id)}`, input));
  }

  async lookup(codes: readonly string[]): Promise<CatalogCode[]> {
    const params = new HttpParams().set('codes', codes.join(','));
    return (await this.send(this.http.get<CatalogLookupResponse>('/api/catalog/lookup', { params }))).items;
  }

  private async send<T>(request: Observable<T>): Promise<T> {
    try {
      return await firstValueFrom(request, { defaultValue: undefined as T });
    } catch (error) {
      throw toApiError(error);
    }
  }
}
