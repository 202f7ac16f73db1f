import { Injectable } from '@nestjs/common';
import type { EncounterEvent } from '@countersign/shared';
import { Subject, type Observable } from 'rxjs';

/**
 * Domain events of encounters, published after commit. Services publish here; only the
 * gateway turns them into socket.io broadcasts, so services never touch sockets.
 */
@Injectable()
export class EncounterEventBus {
  private readonly subject = new Subject<EncounterEvent>();

  get events(): Observable<EncounterEvent> {
    return this.subject.asObservable();
  }

  publish(events: readonly EncounterEvent[]): void {
    for (const event of events) this.subject.next(event);
  }
}
