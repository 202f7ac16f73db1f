/** A frame at 60 Hz: the longest Angular's zoneless scheduler waits before it renders. */
const FRAME_MS = 17;

/**
 * Under Jest's fake timers: moves the clock on by `ms` (a debounce, a poll interval, an ack
 * timeout), then by a few frames so that promise chains (answered requests, acks) and the
 * renders they schedule run, and waits until the fixture is stable. No real time passes, so a
 * spec does not depend on the machine's speed.
 */
export async function settle(fixture: { whenStable(): Promise<unknown> }, ms = 0): Promise<void> {
  if (ms > 0) await jest.advanceTimersByTimeAsync(ms);
  for (let i = 0; i < 3; i++) await jest.advanceTimersByTimeAsync(FRAME_MS);
  await fixture.whenStable();
}
