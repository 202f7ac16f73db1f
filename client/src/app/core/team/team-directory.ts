import { Injectable, inject, signal } from '@angular/core';
import type { TeamMember } from '@countersign/shared';
import { ApiClient } from '../api/api-client';

/** The teammates of the signed-in person, fetched once per session, for @mentions and names. */
@Injectable({ providedIn: 'root' })
export class TeamDirectory {
  private readonly api = inject(ApiClient);
  private readonly membersState = signal<readonly TeamMember[]>([]);
  private loading: Promise<void> | null = null;

  readonly members = this.membersState.asReadonly();

  /** Loads the team unless it is loaded or loading; a failure is retried on the next call. */
  ensure(): Promise<void> {
    this.loading ??= this.api.team().then(
      (members) => this.membersState.set(members),
      () => {
        this.loading = null;
      },
    );
    return this.loading;
  }
}
