import { isAdminRole } from '../auth/roles.js';
import { isCalendarDate } from '../common/text.js';
import { ImportOptionsSchema, ImportStatusSchema } from './catalog.schema.js';

describe(isCalendarDate.name, () => {
  it('accepts days of the calendar only', () => {
    expect(['2026-01-31', '2028-02-29', '2025-10-01'].map(isCalendarDate)).toEqual([
      true,
      true,
      true,
    ]);
    expect(['2026-13-45', '2026-02-30', '2027-02-29', '2026-00-10'].map(isCalendarDate)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('ImportOptionsSchema', () => {
  it('refuses an effective date that is not a day, with a message a person reads', () => {
    const parsed = ImportOptionsSchema.safeParse({ effectiveDate: '2026-13-45' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('Not a calendar date');
    expect(ImportOptionsSchema.parse({ effectiveDate: '2026-01-01' })).toEqual({
      effectiveDate: '2026-01-01',
    });
  });

  it('knows the preview states', () => {
    expect(ImportStatusSchema.options).toEqual([
      'running',
      'preview',
      'succeeded',
      'unchanged',
      'failed',
      'cancelled',
      'expired',
    ]);
  });
});

describe(isAdminRole.name, () => {
  it('counts the instance operator as an organization admin too', () => {
    expect(
      (['coder', 'reviewer', 'supervisor', 'admin', 'operator'] as const).map(isAdminRole),
    ).toEqual([false, false, false, true, true]);
  });
});
