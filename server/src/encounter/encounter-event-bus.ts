import { Injectable } from '@nestjs/common';
import type { Encounter, EncounterEvent } from '@countersign/shared';
import { Subject, type Observable } from 'rxjs';

/** A committed event with the chart as it stands after it. */
export interface CommittedChange {
  event: EncounterEvent;
  encounter: Encounter;
}

/**
 * Domain events of encounters, published after commit with the chart they produced (the
 * writer folds the event anyway), so listeners need not read the chart back. Services publish
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
