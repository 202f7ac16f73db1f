import { HttpClient, HttpEventType, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  CLAIM_EXPORT_MEDIA,
  type BulkClaimQuery,
  type ChartClaimFormat,
} from '@countersign/shared';
import type {
  AssignmentRequest,
  AssignmentResponse,
  CatalogCode,
  CatalogEdition,
  ChartAudit,
  CatalogEditionList,
  CatalogImport,
  CatalogImportList,
  ImportOptions,
  ImportRestoreRequest,
  CatalogLookupResponse,
  CatalogSearchHit,
  CatalogSearchResponse,
  CodeSystem,
  CreateEncounterInput,
  Encounter,
  EncounterEvent,
  EncounterStatus,
  EncounterSummary,
  IntakeCommitMode,
  IntakeFormat,
  IntakePreview,
  IntakeRowAction,
  IntakeRowsResponse,
  IntakeSummary,
  LoginRequest,
  NewPerson,
  PasswordLinkInfo,
  PeopleAudit,
  Person,
  PersonWithLink,
  SessionResponse,
  SetPasswordRequest,
  SetPasswordResponse,
  TeamMember,
  UserUpdate,
  UpdateEncounterInput,
  WorklistResponse,
} from '@countersign/shared';
import { filter, firstValueFrom, map, tap, type Observable } from 'rxjs';
import { toApiError } from './api-error';

/** `assignee` of the worklist query: the caller, nobody, or a user id. */
export type WorklistAssignee = 'me' | 'unassigned' | (string & {});

export interface WorklistFilter {
  status?: readonly EncounterStatus[];
  assignee?: WorklistAssignee;
  /** At most this many rows, newest change first (the server allows 1 to 200). */
  limit?: number;
}

/**
 * The address of a bulk claims export: the browser downloads it itself (streamed to disk, never
 * held in the page), with the session cookie.
 */
export function bulkClaimsUrl(query: BulkClaimQuery): string {
  const params = new URLSearchParams({
    from: query.from,
    to: query.to,
    format: query.format,
    basis: query.basis,
  });
  return `/api/exports/claims?${params.toString()}`;
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

  /** The current session; does not count as activity. */
  session(): Promise<SessionResponse> {
    return this.send(this.http.get<SessionResponse>('/api/auth/session'));
  }

  /** The person did something: restarts the session's idle clock on the server. */
  activity(): Promise<SessionResponse> {
    return this.send(this.http.post<SessionResponse>('/api/auth/activity', null));
  }

  /**
   * One chart's claim as a file: a FHIR R4 Claim (JSON) or CSV. A chart not signed off is
   * refused (`invalid_state`) unless `onRequest`, when it comes as a draft claim.
   */
  async chartClaim(
    id: string,
    format: ChartClaimFormat,
    onRequest: boolean,
  ): Promise<{ blob: Blob; fileName: string }> {
    const params = new HttpParams().set('format', format).set('onRequest', onRequest);
    const body = await this.send(
      this.http.get(`/api/encounters/${id}/claim`, { params, responseType: 'text' }),
    );
    const media = CLAIM_EXPORT_MEDIA[format];
    return {
      blob: new Blob([body], { type: media.contentType }),
      fileName: `claim-${id}.${media.extension}`,
    };
  }

  /**
   * One page of the worklist with the queue counts, for the query parameters as the URL keeps
   * them (search, filters, sort, page: see WorklistQuerySchema).
   */
  worklistPage(query: Readonly<Record<string, string>>): Promise<WorklistResponse> {
    const params = new HttpParams({ fromObject: { ...query } });
    return this.send(this.http.get<WorklistResponse>('/api/encounters', { params }));
  }

  async worklist(filter: WorklistFilter): Promise<EncounterSummary[]> {
    let params = new HttpParams();
    if (filter.status?.length) params = params.set('status', filter.status.join(','));
    if (filter.assignee) params = params.set('assignee', filter.assignee);
    if (filter.limit) params = params.set('limit', filter.limit);
    return (await this.send(this.http.get<WorklistResponse>('/api/encounters', { params }))).items;
  }

  /** Creates one chart (a draft); refused by field (`validation_failed`) or by who may assign. */
  createEncounter(input: CreateEncounterInput): Promise<Encounter> {
    return this.send(this.http.post<Encounter>('/api/encounters', input));
  }

  /**
   * Changes header fields, note or diagnoses, made against `baseVersion` (the version the person
   * saw; sent as `If-Match`, which the server requires): a change made meanwhile by someone else
   * is refused with `conflict` and the chart as it is.
   */
  updateEncounter(
    id: string,
    input: UpdateEncounterInput,
    baseVersion: number,
  ): Promise<Encounter> {
    const headers = { 'If-Match': `"${baseVersion}"` };
    return this.send(
      this.http.patch<Encounter>(`/api/encounters/${encodeURIComponent(id)}`, input, { headers }),
    );
  }

  /**
   * A coder takes an unassigned draft. No version is needed: whoever's claim reaches the chart
   * first wins, and the other is refused with `forbidden` naming who has it.
   */
  claim(id: string): Promise<Encounter> {
    return this.send(
      this.http.post<Encounter>(`/api/encounters/${encodeURIComponent(id)}/claim`, null),
    );
  }

  /** Assigns coder and/or reviewer on one or many charts; the answer says chart by chart. */
  assign(request: AssignmentRequest): Promise<AssignmentResponse> {
    return this.send(this.http.post<AssignmentResponse>('/api/assignments', request));
  }

  /** The encounter's event log after `after` (0: the whole history), oldest first. */
  async events(id: string, after = 0): Promise<EncounterEvent[]> {
    const params = new HttpParams().set('after', after);
    return (
      await this.send(
        this.http.get<{ items: EncounterEvent[] }>(
          `/api/encounters/${encodeURIComponent(id)}/events`,
          { params },
        ),
      )
    ).items;
  }

  /** Everyone in the caller's organization, for @mentions. */
  async team(): Promise<TeamMember[]> {
    return (await this.send(this.http.get<{ items: TeamMember[] }>('/api/users'))).items;
  }

  /** Admin: everyone in the organization with status and last sign-in. */
  async people(): Promise<Person[]> {
    const params = new HttpParams().set('include', 'inactive');
    return (await this.send(this.http.get<{ items: Person[] }>('/api/users', { params }))).items;
  }

  /** Admin: adds a person; the answer carries their one-time set-password link. */
  addPerson(person: NewPerson): Promise<PersonWithLink> {
    return this.send(this.http.post<PersonWithLink>('/api/users', person));
  }

  /** Admin: changes a person's role or (de)activates them. */
  updatePerson(id: string, change: UserUpdate): Promise<Person> {
    return this.send(this.http.patch<Person>(`/api/users/${encodeURIComponent(id)}`, change));
  }

  /** Admin: a new set-password link (a reset for someone who has a password). */
  passwordLink(id: string): Promise<PersonWithLink> {
    return this.send(
      this.http.post<PersonWithLink>(`/api/users/${encodeURIComponent(id)}/password-link`, null),
    );
  }

  /** Admin: the people audit trail, its chain checked, newest first. */
  peopleAudit(limit = 50): Promise<PeopleAudit> {
    const params = new HttpParams().set('limit', limit);
    return this.send(this.http.get<PeopleAudit>('/api/audit/people', { params }));
  }

  /** Public: whose account a set-password link opens. */
  passwordLinkInfo(token: string): Promise<PasswordLinkInfo> {
    return this.send(
      this.http.get<PasswordLinkInfo>(`/api/auth/password-links/${encodeURIComponent(token)}`),
    );
  }

  /** Public: chooses a password through a set-password link. */
  setPassword(request: SetPasswordRequest): Promise<SetPasswordResponse> {
    return this.send(this.http.post<SetPasswordResponse>('/api/auth/set-password', request));
  }

  async lookup(codes: readonly string[]): Promise<CatalogCode[]> {
    const params = new HttpParams().set('codes', codes.join(','));
    return (
      await this.send(this.http.get<CatalogLookupResponse>('/api/catalog/lookup', { params }))
    ).items;
  }

  /**
   * The typeahead: codes of `systems` matching `q` on `date` (the chart's date of service).
   * An Observable, so a newer keystroke cancels the request still in flight.
   */
  searchCodes(
    q: string,
    systems: readonly CodeSystem[],
    date: string | null,
    limit = 20,
  ): Observable<CatalogSearchHit[]> {
    let params = new HttpParams().set('q', q).set('system', systems.join(',')).set('limit', limit);
    if (date) params = params.set('date', date);
    return this.http
      .get<CatalogSearchResponse>('/api/catalog/search', { params })
      .pipe(map((response) => response.items));
  }

  /** Loaded editions of every code set and edit file. */
  async editions(): Promise<CatalogEdition[]> {
    return (await this.send(this.http.get<CatalogEditionList>('/api/catalog/editions'))).items;
  }

  /** Admin: recent imports, newest first. */
  async imports(): Promise<CatalogImport[]> {
    return (await this.send(this.http.get<CatalogImportList>('/api/catalog/imports'))).items;
  }

  /** Admin: one import with its progress, summary or error. */
  importStatus(id: string): Promise<CatalogImport> {
    return this.send(
      this.http.get<CatalogImport>(`/api/catalog/imports/${encodeURIComponent(id)}`),
    );
  }

  /** Operator: applies a preview; refused (409) when it expired or another import was applied since. */
  confirmImport(id: string): Promise<CatalogImport> {
    return this.send(
      this.http.post<CatalogImport>(`/api/catalog/imports/${encodeURIComponent(id)}/confirm`, null),
    );
  }

  /** Operator: drops a preview; nothing changes. */
  cancelImport(id: string): Promise<CatalogImport> {
    return this.send(
      this.http.post<CatalogImport>(`/api/catalog/imports/${encodeURIComponent(id)}/cancel`, null),
    );
  }

  /** Operator: previews the undo of the last applied import of a kind and edition. */
  restoreImport(request: ImportRestoreRequest): Promise<CatalogImport> {
    return this.send(this.http.post<CatalogImport>('/api/catalog/imports/restore', request));
  }

  /** Operator: uploads one code set or edit file as the raw body; answers at once with the import, which stops at a preview. */
  startImport(file: Blob, options: ImportOptions): Promise<CatalogImport> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(options)) if (value) params = params.set(key, value);
    const headers = { 'Content-Type': 'application/octet-stream' };
    return this.send(
      this.http.post<CatalogImport>('/api/catalog/imports', file, { params, headers }),
    );
  }

  /** Admin: a chart's event chain verified now, and who opened it (newest first). */
  chartAudit(encounterId: string): Promise<ChartAudit> {
    return this.send(
      this.http.get<ChartAudit>(`/api/audit/encounters/${encodeURIComponent(encounterId)}`),
    );
  }

  /**
   * Uploads a CSV or FHIR JSON file of encounters as the raw body; resolves with the preview once
   * the server has read and checked it all. `progress` hears the share of the file sent (0 to 1).
   */
  uploadIntake(
    file: Blob,
    options: { format: IntakeFormat; fileName: string },
    progress: (sent: number) => void,
  ): Promise<IntakePreview> {
    const params = new HttpParams().set('format', options.format).set('fileName', options.fileName);
    const headers = {
      'Content-Type': options.format === 'csv' ? 'text/csv' : 'application/fhir+json',
    };
    return this.send(
      this.http
        .post<IntakePreview>('/api/encounter-imports', file, {
          params,
          headers,
          reportProgress: true,
          observe: 'events',
        })
        .pipe(
          tap((event) => {
            if (event.type === HttpEventType.UploadProgress && event.total)
              progress(Math.min(1, event.loaded / event.total));
          }),
          filter((event) => event.type === HttpEventType.Response),
          map((event) => event.body!),
        ),
    );
  }

  /** A page of an import's rows, optionally only those of one action. */
  intakeRows(
    id: string,
    query: { offset: number; limit: number; action?: IntakeRowAction },
  ): Promise<IntakeRowsResponse> {
    let params = new HttpParams().set('offset', query.offset).set('limit', query.limit);
    if (query.action) params = params.set('action', query.action);
    return this.send(
      this.http.get<IntakeRowsResponse>(`/api/encounter-imports/${encodeURIComponent(id)}/rows`, {
        params,
      }),
    );
  }

  /** An import's state and commit progress. */
  intake(id: string): Promise<IntakeSummary> {
    return this.send(
      this.http.get<IntakeSummary>(`/api/encounter-imports/${encodeURIComponent(id)}`),
    );
  }

  /** Starts creating the charts of a previewed import; `all` is refused while any row is invalid. */
  commitIntake(id: string, mode: IntakeCommitMode): Promise<IntakeSummary> {
    return this.send(
      this.http.post<IntakeSummary>(`/api/encounter-imports/${encodeURIComponent(id)}/commit`, {
        mode,
      }),
    );
  }

  /** Drops a previewed import; nothing is created. */
  cancelIntake(id: string): Promise<IntakeSummary> {
    return this.send(
      this.http.post<IntakeSummary>(
        `/api/encounter-imports/${encodeURIComponent(id)}/cancel`,
        null,
      ),
    );
  }

  private async send<T>(request: Observable<T>): Promise<T> {
    try {
      return await firstValueFrom(request, { defaultValue: undefined as T });
    } catch (error) {
      throw toApiError(error);
    }
  }
}
