import { findPeopleChainBreak, peopleEventHash, type StoredPeopleEvent } from './people-chain.js';

const ORG = '00000000-0000-4000-8000-000000000001';
const ADMIN = '00000000-0000-4000-8000-000000000002';
const PERSON = '00000000-0000-4000-8000-000000000003';

/** A correctly chained trail of `n` entries. */
function chain(n: number): StoredPeopleEvent[] {
  const events: StoredPeopleEvent[] = [];
  let previous: string | null = null;
  for (let seq = 1; seq <= n; seq++) {
    const event = {
      organizationId: ORG,
      seq,
      type: seq === 1 ? ('person.added' as const) : ('person.role_changed' as const),
      actorId: ADMIN,
      actorName: 'Ada Admin',
      subjectId: PERSON,
      subjectName: 'Pat Person',
      payload: seq === 1 ? { role: 'coder' } : { from: 'coder', to: 'reviewer' },
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
    };
    const hash = peopleEventHash(event, previous);
    events.push({ ...event, hash });
    previous = hash;
  }
  return events;
}

describe(findPeopleChainBreak.name, () => {
  it('holds for an untouched trail', () => {
    expect(findPeopleChainBreak(chain(3), 3)).toBeNull();
  });

  it('finds a changed subject, a removed entry and a removed last entry', () => {
    const renamed = chain(3);
    renamed[1] = { ...renamed[1]!, subjectName: 'Someone Else' };
    expect(findPeopleChainBreak(renamed, 3)).toEqual({
      seq: 2,
      reason: 'event 2 (person.role_changed) does not match its hash',
    });
    const gap = chain(3);
    gap.splice(1, 1);
    expect(findPeopleChainBreak(gap, 3)?.seq).toBe(2);
    expect(findPeopleChainBreak(chain(2), 3)).toEqual({
      seq: 3,
      reason: 'event 3 is missing (the trail has 3)',
    });
  });

  it('hashes the organization: the same entry elsewhere has another hash', () => {
    const [first] = chain(1);
    expect(first!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(peopleEventHash({ ...first!, organizationId: PERSON }, null)).not.toBe(first!.hash);
  });
});
