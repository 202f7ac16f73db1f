import { ExportSlots } from './export-slots.js';

describe(ExportSlots.name, () => {
  it('hands out at most `max` slots and frees one per release, once', () => {
    const slots = new ExportSlots(2);
    const first = slots.tryAcquire();
    const second = slots.tryAcquire();
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(slots.tryAcquire()).toBeNull();
    first!();
    first!();
    expect(slots.inUse).toBe(1);
    const third = slots.tryAcquire();
    expect(third).not.toBeNull();
    expect(slots.tryAcquire()).toBeNull();
    second!();
    third!();
    expect(slots.inUse).toBe(0);
  });
});
