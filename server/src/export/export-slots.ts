/**
 * How many bulk exports run at once on this instance. Each holds a pool connection and a
 * database snapshot for as long as its download lasts, so a few slow downloads must not take
 * the connections the live review needs.
 */
export class ExportSlots {
  private running = 0;

  constructor(readonly max: number) {}

  /** A release function when a slot is free (call it exactly once when done), else null. */
  tryAcquire(): (() => void) | null {
    if (this.running >= this.max) return null;
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
    };
  }

  get inUse(): number {
    return this.running;
  }
}
