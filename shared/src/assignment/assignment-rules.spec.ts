import { assigneeRefusal, nextInRotation, type Assignee } from './assignment-rules.js';

const coder: Assignee = { id: 'c1', name: 'Casey Coder', role: 'coder', active: true };
const reviewer: Assignee = { id: 'r1', name: 'Riley Reviewer', role: 'reviewer', active: true };
const chart = { coder: { id: 'c1', name: 'Casey Coder' }, reviewer: null, codedBy: ['c1'] };

describe(assigneeRefusal.name, () => {
  it('takes an active person of the right role', () => {
    expect(assigneeRefusal('reviewer', reviewer, chart)).toBeNull();
    expect(assigneeRefusal('coder', { ...coder, id: 'c2' }, chart)).toBeNull();
  });

  it('refuses the wrong role, naming both', () => {
    expect(assigneeRefusal('reviewer', { ...coder, id: 'c2' }, chart)).toEqual({
      code: 'validation_failed',
      message: 'Casey Coder is a coder, not a reviewer: only a reviewer can be a chart’s reviewer',
    });
    expect(assigneeRefusal('coder', { ...reviewer, role: 'supervisor' }, chart)?.code).toBe(
      'validation_failed',
    );
  });

  it('gives a trainee no real chart until promoted (docs/domain.md section 11.1)', () => {
    const noChart = { coder: null, reviewer: null, codedBy: [] };
    expect(assigneeRefusal('coder', { ...coder, trainee: true }, noChart)).toEqual({
      code: 'validation_failed',
      message:
        'Casey Coder is a trainee: they code practice charts until a supervisor promotes them to real charts',
    });
    expect(assigneeRefusal('coder', { ...coder, trainee: false }, noChart)).toBeNull();
  });

  it('refuses a deactivated person', () => {
    expect(assigneeRefusal('reviewer', { ...reviewer, active: false }, chart)?.message).toBe(
      'Riley Reviewer is deactivated and cannot be given charts',
    );
  });

  it('never makes an author of the lines the reviewer, even when no longer the coder', () => {
    const author = { ...reviewer, id: 'a1', name: 'Alex Author' };
    const reassigned = { ...chart, coder: { id: 'c2', name: 'Cam' }, codedBy: ['c1', 'a1'] };
    expect(assigneeRefusal('reviewer', author, reassigned)).toEqual({
      code: 'forbidden',
      message: 'Alex Author coded this chart, so another reviewer must review it',
    });
  });

  it('does not make the reviewer the coder', () => {
    const reviewed = { ...chart, reviewer: { id: 'c3', name: 'Cleo' } };
    expect(assigneeRefusal('coder', { ...coder, id: 'c3', name: 'Cleo' }, reviewed)?.code).toBe(
      'forbidden',
    );
  });
});

describe(nextInRotation.name, () => {
  const reviewers = [{ id: 'r3' }, { id: 'r1' }, { id: 'r2' }];
  const none = new Set<string>();

  it('starts with the first by id and goes round in id order', () => {
    const picked: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 7; i++) {
      after = nextInRotation(reviewers, after, none)!.id;
      picked.push(after);
    }
    expect(picked).toEqual(['r1', 'r2', 'r3', 'r1', 'r2', 'r3', 'r1']);
  });

  it('skips whoever coded the chart without losing their turn for the next chart', () => {
    expect(nextInRotation(reviewers, 'r1', new Set(['r2']))?.id).toBe('r3');
    expect(nextInRotation(reviewers, 'r3', new Set(['r1']))?.id).toBe('r2');
  });

  it('goes on after a pointer to someone who left the rotation', () => {
    expect(nextInRotation([{ id: 'r1' }, { id: 'r3' }], 'r2', none)?.id).toBe('r3');
  });

  it('is null when nobody is eligible', () => {
    expect(nextInRotation(reviewers, null, new Set(['r1', 'r2', 'r3']))).toBeNull();
    expect(nextInRotation([], null, none)).toBeNull();
  });

  it('shares work evenly over many charts when each excludes one random coder', () => {
    const counts = new Map<string, number>();
    let after: string | null = null;
    for (let i = 0; i < 300; i++) {
      const pick = nextInRotation(reviewers, after, new Set([`r${(i % 3) + 1}`]))!;
      expect(pick.id).not.toBe(`r${(i % 3) + 1}`);
      counts.set(pick.id, (counts.get(pick.id) ?? 0) + 1);
      after = pick.id;
    }
    for (const n of counts.values()) expect(n).toBeGreaterThanOrEqual(90);
  });
});
