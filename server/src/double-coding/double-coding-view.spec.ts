import type { DoubleCodingRow } from './double-coding.repository.js';
import { view } from './double-coding.service.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

function row(status: DoubleCodingRow['status'], submitted: [boolean, boolean]): DoubleCodingRow {
  return {
    id: 'dc',
    organization_id: 'org',
    encounter_id: 'chart',
    patient_name: 'Jordan Example',
    date_of_service: '2026-03-02',
    status,
    requested_via: 'supervisor',
    requested_by: 'sup',
    requested_by_name: 'Sam',
    requested_at: new Date('2026-03-02T10:00:00Z'),
    both_submitted_at: submitted[0] && submitted[1] ? new Date('2026-03-02T12:00:00Z') : null,
    reconciled_by: null,
    reconciled_by_name: null,
    reconciled_at: null,
    cancel_reason: null,
    copies: [
      {
        slot: 1,
        encounterId: 'copy-a',
        coderId: A,
        coderName: 'Ann',
        submittedAt: submitted[0] ? '2026-03-02T11:00:00.000Z' : null,
      },
      {
        slot: 2,
        encounterId: 'copy-b',
        coderId: B,
        coderName: 'Bo',
        submittedAt: submitted[1] ? '2026-03-02T12:00:00.000Z' : null,
      },
    ],
  };
}

describe('a double coding as its reader may see it', () => {
  it('shows a coder only their own copy and no count while coding, whatever the other did', () => {
    for (const submitted of [
      [false, false],
      [true, false],
      [false, true],
    ] as const) {
      const seen = view(row('coding', [...submitted]), { id: B, role: 'coder' });
      expect(seen.copies.map((c) => c.encounterId)).toEqual(['copy-b']);
      expect(seen.submittedCount).toBeNull();
      expect(JSON.stringify(seen)).not.toContain('copy-a');
      expect(JSON.stringify(seen)).not.toContain(A);
    }
  });

  it('keeps a cancelled double coding blind for its coders', () => {
    const seen = view(row('cancelled', [true, false]), { id: B, role: 'coder' });
    expect(seen.copies.map((c) => c.encounterId)).toEqual(['copy-b']);
    expect(seen.submittedCount).toBeNull();
  });

  it('shows both copies to the coders once both are in, and everything to overseers', () => {
    expect(view(row('reconciling', [true, true]), { id: B, role: 'coder' })).toMatchObject({
      submittedCount: 2,
      copies: [{ encounterId: 'copy-a' }, { encounterId: 'copy-b' }],
    });
    for (const role of ['supervisor', 'admin', 'reviewer'] as const)
      expect(view(row('coding', [true, false]), { id: 'someone', role })).toMatchObject({
        submittedCount: 1,
        copies: [{ slot: 1 }, { slot: 2 }],
        chartLabel: 'Jordan Example, 2026-03-02',
      });
  });
});
