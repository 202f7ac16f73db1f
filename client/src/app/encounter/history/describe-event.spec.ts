import { PENDING_REVIEW } from '@countersign/shared';
import {
  CODER,
  REVIEWER,
  SUPERVISOR,
  encounterUpdated,
  event,
  lineUpdated,
  makeComment,
  makeEncounter,
  makeLine,
  makeSuggestion,
  makeThread,
  statusChanged,
} from '../../../testing/encounter-fixtures';
import { correctionParts, describeEvent, lineSummary } from './describe-event';

describe(describeEvent.name, () => {
  const visit = makeLine({ code: '99214', modifiers: [], pointers: ['A'] });
  const before = makeEncounter({ lines: [visit], diagnoses: ['M25561', 'E119'] });

  it('says who claimed, assigned or was routed the chart', () => {
    const cam = { id: '55555555-5555-4555-8555-555555555555', name: 'Cam Coder' };
    expect(
      describeEvent(event(5, 'assignment.changed', { how: 'claimed', coder: CODER }), before),
    ).toBe('claimed the chart');
    expect(
      describeEvent(
        event(5, 'assignment.changed', { how: 'assigned', coder: cam, reviewer: null }),
        before,
      ),
    ).toBe(
      'assigned Cam Coder as coder (was Casey Coder); unassigned the reviewer (was Riley Reviewer)',
    );
    expect(
      describeEvent(event(5, 'assignment.changed', { how: 'routed', reviewer: REVIEWER }), before),
    ).toBe('routed the review to Riley Reviewer (round-robin)');
    expect(
      describeEvent(
        event(5, 'status.changed', {
          from: 'draft',
          to: 'submitted',
          reason: null,
          reviewer: REVIEWER,
        }),
        before,
      ),
    ).toBe('submitted the chart for review; routed the review to Riley Reviewer (round-robin)');
    expect(
      describeEvent(
        event(5, 'review.skipped', {
          from: 'draft',
          to: 'approved',
          reasons: ['Not sampled (25% sample)'],
          level: 'sampled',
          explanation: '25% sample: 97% line accuracy over the last 30 charts',
        }),
        before,
      ),
    ).toBe('submitted the chart; review skipped: not sampled (25% sample)');
    expect(
      describeEvent(
        event(6, 'status.changed', {
          from: 'signed_off',
          to: 'submitted',
          reason: 'A payer asked',
          reviewer: null,
        }),
        before,
      ),
    ).toBe('reopened the chart for review: “A payer asked”');
  });

  it('says what a line change, a rejection and a missed line did', () => {
    expect(describeEvent(lineUpdated(4, { ...visit, units: 2, modifiers: ['25'] }), before)).toBe(
      'changed 99214: modifier 25, 2 units',
    );
    expect(
      describeEvent(
        event(
          4,
          'line.reviewed',
          {
            lineId: visit.id,
            review: {
              state: 'rejected',
              category: 'unbundling',
              comment: 'Part of 20610',
              by: REVIEWER,
            },
          },
          REVIEWER,
        ),
        before,
      ),
    ).toBe('rejected 99214 (Unbundling): “Part of 20610”');
    const missed = makeLine({
      code: 'J3301',
      units: 4,
      origin: 'reviewer',
      review: { ...PENDING_REVIEW, state: 'accepted', category: 'missed-code' },
    });
    expect(
      describeEvent(event(4, 'line.added', { line: missed, index: 1 }, REVIEWER), before),
    ).toBe('added missed line J3301 × 4 (Missed code)');
  });

  it('says what a suggestion proposes and how it was answered', () => {
    const suggestion = makeSuggestion(visit, {
      proposed: { code: '99213', modifiers: [], units: 1, pointers: ['A'] },
      category: 'wrong-level',
    });
    expect(describeEvent(event(4, 'suggestion.made', { suggestion }, REVIEWER), before)).toBe(
      'suggested code 99213 on 99214 (Wrong E/M level)',
    );
    const withIt = { ...before, suggestions: [suggestion] };
    const thread = makeThread(visit.id, [
      makeComment('Documentation supports moderate MDM', CODER),
    ]);
    expect(
      describeEvent(
        event(
          5,
          'suggestion.answered',
          {
            suggestionId: suggestion.id,
            status: 'disputed',
            answeredBy: CODER,
            line: null,
            thread,
          },
          CODER,
        ),
        withIt,
      ),
    ).toBe('disputed the suggestion on 99214: “Documentation supports moderate MDM”');
  });

  it('says who escalated a dispute, how a supervisor decided it, and its precedent', () => {
    const suggestion = makeSuggestion(visit, { status: 'disputed' });
    const withIt = { ...before, suggestions: [suggestion] };
    const escalation = { by: REVIEWER, comment: 'We need a ruling', at: 'x' };
    expect(
      describeEvent(
        event(5, 'suggestion.escalated', { suggestionId: suggestion.id, escalation }, REVIEWER),
        withIt,
      ),
    ).toBe('escalated the dispute on 99214 to a supervisor: “We need a ruling”');
    const decision = {
      decision: 'overrule' as const,
      reason: 'Moderate MDM',
      by: SUPERVISOR,
      at: 'y',
    };
    expect(
      describeEvent(
        event(
          6,
          'suggestion.decided',
          {
            suggestionId: suggestion.id,
            status: 'overruled',
            decision,
            line: visit,
            precedent: { id: suggestion.id, number: 7 },
          },
          SUPERVISOR,
        ),
        withIt,
      ),
    ).toBe(
      'overruled the suggestion on 99214, keeping the coder’s line: “Moderate MDM”, recorded as precedent 7',
    );
  });

  it('says what a transition, a diagnosis change and a comment did', () => {
    expect(
      describeEvent(
        statusChanged(4, 'in_review', 'changes_requested', REVIEWER, 'Add the laterality'),
        before,
      ),
    ).toBe('requested changes: “Add the laterality”');
    expect(
      describeEvent(statusChanged(4, 'approved', 'in_review', REVIEWER, 'Payer audit'), before),
    ).toBe('reopened the chart: “Payer audit”');
    expect(describeEvent(encounterUpdated(4, { diagnoses: ['M25561', 'I10'] }), before)).toBe(
      'added diagnosis I10; removed diagnosis E11.9',
    );
    const thread = makeThread(null, [makeComment('Please check the note')]);
    expect(describeEvent(event(4, 'thread.opened', { thread }, REVIEWER), before)).toBe(
      'commented on the chart: “Please check the note”',
    );
  });

  it('names the rule of an acknowledged warning and the reason given', () => {
    const acknowledgement = {
      findingId: `ptp-modifier-bypass:${visit.id}:20610+99214`,
      reason: 'Separate E/M documented',
      by: REVIEWER,
      at: '2026-01-01T11:00:00.000Z',
    };
    expect(
      describeEvent(event(4, 'finding.acknowledged', { acknowledgement }, REVIEWER), before),
    ).toBe('acknowledged “NCCI PTP edit bypassed with a modifier”: “Separate E/M documented”');
    const unknown = { ...acknowledgement, findingId: 'retired-rule:x:y' };
    expect(
      describeEvent(
        event(4, 'finding.acknowledged', { acknowledgement: unknown }, REVIEWER),
        before,
      ),
    ).toBe('acknowledged a warning: “Separate E/M documented”');
  });
});

describe(correctionParts.name, () => {
  it('names removed modifiers and changed pointers', () => {
    expect(
      correctionParts(
        { code: '20610', modifiers: ['59', 'RT'], units: 1, pointers: ['A'] },
        { code: '20610', modifiers: ['RT'], units: 1, pointers: ['A', 'B'] },
      ),
    ).toEqual(['removing modifier 59', 'pointers A, B']);
  });

  it('summarises a line as coders read it', () => {
    expect(lineSummary({ code: '20610', modifiers: ['RT'], units: 1, pointers: ['A'] })).toBe(
      '20610-RT, 1 unit, pointer A',
    );
  });
});
