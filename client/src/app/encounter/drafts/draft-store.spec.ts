import { signal, type WritableSignal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { SessionUser } from '@countersign/shared';
import { AuthService } from '../../core/auth/auth.service';
import { ENCOUNTER_ID, sessionUser } from '../../../testing/encounter-fixtures';
import { DRAFT_STORAGE, DraftStore, draftTargets } from './draft-store';

describe(DraftStore.name, () => {
  let user: WritableSignal<SessionUser | null>;
  const ref = { encounterId: ENCOUNTER_ID, target: draftTargets.newThread(null) };

  function create(storage: Storage | null = sessionStorage): DraftStore {
    user = signal(sessionUser('coder'));
    TestBed.configureTestingModule({
      providers: [
        { provide: AuthService, useValue: { user } },
        { provide: DRAFT_STORAGE, useValue: storage },
      ],
    });
    return TestBed.inject(DraftStore);
  }

  beforeEach(() => sessionStorage.clear());

  it('keeps a draft per chart and target under the signed-in person, and discards blank text', () => {
    const store = create();
    store.save(ref, 'Half-written');
    store.save(
      { encounterId: ENCOUNTER_ID, target: draftTargets.dispute('s1') },
      'Because',
      'line-1',
    );
    expect(store.get(ref)?.text).toBe('Half-written');
    expect(store.ofChart(ENCOUNTER_ID, 'dispute:')).toEqual([
      {
        target: 'dispute:s1',
        draft: expect.objectContaining({ text: 'Because', lineId: 'line-1' }),
      },
    ]);
    expect(Object.keys(sessionStorage)).toEqual(
      expect.arrayContaining([
        `cs.draft.v1:${sessionUser('coder').id}:${ENCOUNTER_ID}|comment:chart`,
      ]),
    );
    store.save(ref, '   ');
    expect(store.get(ref)).toBeNull();
    expect(sessionStorage.length).toBe(1);
  });

  it('drops entries it cannot read instead of failing', () => {
    sessionStorage.setItem(
      `cs.draft.v1:${sessionUser('coder').id}:${ENCOUNTER_ID}|comment:chart`,
      '{not json',
    );
    const store = create();
    expect(store.get(ref)).toBeNull();
    expect(sessionStorage.length).toBe(0);
  });

  it('keeps drafts in memory when the browser refuses storage', () => {
    const refusing = {
      get length(): number {
        throw new DOMException('denied', 'SecurityError');
      },
      key: () => null,
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => undefined,
      clear: () => undefined,
    } as unknown as Storage;
    const store = create(refusing);
    store.save(ref, 'Still here');
    expect(store.get(ref)?.text).toBe('Still here');
  });

  it('keeps nothing while nobody is signed in', () => {
    const store = create();
    user.set(null);
    TestBed.tick();
    store.save(ref, 'Typed after sign-out');
    expect(store.get(ref)).toBeNull();
    expect(sessionStorage.length).toBe(0);
  });
});
