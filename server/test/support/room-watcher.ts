import {
  applyEncounterEvent,
  type Encounter,
  type EncounterEvent,
  type PresenceMember,
  type RoomSnapshot,
} from '@countersign/shared';
import { emitAck, type LiveClient } from './test-app.js';

/** A client that folds what it receives into the state it joined with, as the browser does. */
export class RoomWatcher {
  state: Encounter;
  readonly received: EncounterEvent[] = [];
  presence: PresenceMember[];

  constructor(
    readonly socket: LiveClient,
    snapshot: RoomSnapshot,
  ) {
    this.state = snapshot.encounter;
    this.presence = snapshot.presence;
    socket.on('encounter:event', (event) => {
      this.received.push(event);
      if (event.seq > this.state.version) this.state = applyEncounterEvent(this.state, event);
    });
    socket.on('presence:changed', ({ members }) => (this.presence = members));
  }

  static async join(socket: LiveClient, encounterId: string): Promise<RoomWatcher> {
    const ack = await emitAck(socket, 'room:join', { encounterId });
    if (!ack.ok) throw new Error(`join refused: ${ack.error.message}`);
    return new RoomWatcher(socket, ack.data);
  }
}
