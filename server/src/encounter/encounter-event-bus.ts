import { Injectable } from '@nestjs/common';
import type { Encounter, EncounterEvent } from '@countersign/shared';
import { Subject, type Observable } from 'rxjs';

/** A committed event, with the chart as it stands after it when the command read the whole chart. */
export interface CommittedChange {
  event: EncounterEvent;
  organizationId: string;
  /** Null after a line command, which reads only what its checks need: listeners fold the event. */
  encounter: Encounter | null;
}

/**
 * Domain events of encounters, published after commit, with the chart they produced when the
 * command had it, so listeners need not read the chart back. Services publish
 * here; only the gateway turns them into socket.io broadcasts, so services never touch sockets.
 */
@Injectable()
export class EncounterEventBus {
  private readonly subject = new Subject<CommittedChange>();

  get changes(): Observable<CommittedChange> {
    return this.subject.asObservable();
  }

  publish(change: CommittedChange): void {
    this.subject.next(change);
  }
}
