import { describe, expect, it } from '@jest/globals';
import {
  WorklistQuerySchema,
  defaultSortDirection,
  inWorklistQueue,
  type WorklistQueryInput,
} from './worklist.schema.js';

const USER = '7a0c3f3e-1d57-4b38-9a43-5a3d2d1f0c11';
const OTHER = '0d4b1b2e-8c7f-4f0e-b1d2-3e4f5a6b7c8d';

function issues(input: Record<string, unknown>): Array<{ path: string; message: string }> {
  const result = WorklistQuerySchema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return result.error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
}

describe('WorklistQuerySchema', () => {
  it('reads a comma-separated or repeated status filter', () => {
    expect(WorklistQuerySchema.parse({ status: 'draft,submitted' }).status).toEqual([
      'draft',
      'submitted',
    ]);
    expect(WorklistQuerySchema.parse({ status: 'draft' }).status).toEqual(['draft']);
    expect(WorklistQuerySchema.parse({ status: ['draft', 'approved'] }).status).toEqual([
      'draft',
      'approved',
    ]);
    expect(issues({ status: 'lost' })[0]?.path).toBe('status.0');
  });

  it('fills in the defaults: newest change first, page 1 of 50', () => {
    expect(WorklistQuerySchema.parse({})).toEqual({
      sort: 'updated',
      dir: 'desc',
      page: 1,
      pageSize: 50,
      q: undefined,
      provider: undefined,
    });
  });

  it('starts names A to Z and times newest first unless told', () => {
    expect(WorklistQuerySchema.parse({ sort: 'patient' }).dir).toBe('asc');
    expect(WorklistQuerySchema.parse({ sort: 'dateOfService' }).dir).toBe('desc');
    expect(WorklistQuerySchema.parse({ sort: 'dateOfService', dir: 'asc' }).dir).toBe('asc');
    expect(defaultSortDirection('status')).toBe('asc');
  });

  it('reads every filter from its string form', () => {
    const input: WorklistQueryInput = {
      q: '  smi ',
      queue: 'unassigned',
      from: '2026-01-01',
      to: '2026-01-31',
      provider: 'Okafor',
      coder: 'none',
      reviewer: USER,
      hasErrors: 'true',
      sort: 'mrn',
      page: '3',
      pageSize: '25',
    };
    expect(WorklistQuerySchema.parse(input)).toEqual({
      q: 'smi',
      queue: 'unassigned',
      from: '2026-01-01',
      to: '2026-01-31',
      provider: 'Okafor',
      coder: 'none',
      reviewer: USER,
      hasErrors: true,
      sort: 'mrn',
      dir: 'asc',
      page: 3,
      pageSize: 25,
    });
    expect(WorklistQuerySchema.parse({ hasErrors: 'false' }).hasErrors).toBe(false);
  });

  it('drops an empty search instead of matching everything by accident', () => {
    expect(WorklistQuerySchema.parse({ q: '   ', provider: '' })).toMatchObject({
      q: undefined,
      provider: undefined,
    });
  });

  it('keeps `limit` of older clients as the page size', () => {
    expect(WorklistQuerySchema.parse({ limit: '200' }).pageSize).toBe(200);
    expect(WorklistQuerySchema.parse({ limit: '200', pageSize: '10' }).pageSize).toBe(10);
  });

  it.each<[Record<string, unknown>, string, RegExp]>([
    [{ from: '2026-02-30' }, 'from', /calendar date/],
    [{ to: '31/01/2026' }, 'to', /YYYY-MM-DD/],
    [{ from: '2026-02-01', to: '2026-01-01' }, 'to', /after its end/],
    [{ sort: 'salary' }, 'sort', /updated/],
    [{ dir: 'up' }, 'dir', /asc/],
    [{ page: '0' }, 'page', /at least 1/],
    [{ page: '1.5' }, 'page', /whole number/],
    [{ pageSize: '500' }, 'pageSize', /at most 200/],
    [{ hasErrors: 'yes' }, 'hasErrors', /true or false/],
    [{ coder: 'bob' }, 'coder', /"none"/],
    [{ queue: 'mine' }, 'queue', /drafts/],
    [{ q: 'x'.repeat(201) }, 'q', /200/],
    [{ q: 'a\u0000b' }, 'q', /cannot be stored/],
    [{ colour: 'red' }, '', /colour/],
  ])('refuses %j with an error on %s', (input, path, message) => {
    const found = issues(input);
    expect(found.map((issue) => issue.path)).toContain(path);
    expect(found.find((issue) => issue.path === path)?.message).toMatch(message);
  });
});

describe(inWorklistQueue.name, () => {
  const row = (status: 'draft' | 'submitted' | 'signed_off', coder: string | null) => ({
    status,
    coder: coder ? { id: coder, name: 'Someone' } : null,
  });

  it('puts a draft in "my drafts" only for its coder', () => {
    expect(inWorklistQueue('drafts', row('draft', USER), USER)).toBe(true);
    expect(inWorklistQueue('drafts', row('draft', OTHER), USER)).toBe(false);
    expect(inWorklistQueue('drafts', row('draft', null), null)).toBe(false);
  });

  it('counts open charts without a coder as unassigned, signed-off ones not', () => {
    expect(inWorklistQueue('unassigned', row('draft', null), USER)).toBe(true);
    expect(inWorklistQueue('unassigned', row('submitted', null), USER)).toBe(true);
    expect(inWorklistQueue('unassigned', row('signed_off', null), USER)).toBe(false);
    expect(inWorklistQueue('unassigned', row('draft', USER), USER)).toBe(false);
  });

  it('puts every chart in "all" and submitted ones in "review"', () => {
    expect(inWorklistQueue('all', row('signed_off', OTHER), null)).toBe(true);
    expect(inWorklistQueue('review', row('submitted', OTHER), null)).toBe(true);
    expect(inWorklistQueue('review', row('draft', OTHER), null)).toBe(false);
  });

  it('puts a chart in "disputes" while a suggestion of it waits for a supervisor', () => {
    const inReview = { status: 'in_review' as const, coder: null };
    expect(inWorklistQueue('disputes', { ...inReview, escalations: 1 }, null)).toBe(true);
    expect(inWorklistQueue('disputes', { ...inReview, escalations: 0 }, null)).toBe(false);
    expect(inWorklistQueue('disputes', inReview, null)).toBe(false);
  });
});
