import type { FeeLine } from '@countersign/shared';

const DOLLARS = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** `$1,234.50`. */
export function formatDollars(amount: number): string {
  return DOLLARS.format(amount);
}

/** `+$12.40`, `−$40.00`, `$0.00`: a difference, its sign always shown. */
export function formatDifference(amount: number): string {
  const cents = Math.round(amount * 100);
  if (cents === 0) return DOLLARS.format(0);
  return `${cents > 0 ? '+' : '−'}${DOLLARS.format(Math.abs(cents) / 100)}`;
}

/** How a priced line was reached: "2.52 RVU × 1 unit, MPFS row 1832". */
export function feeBasis(fee: FeeLine): string {
  const rvu = fee.rvu
    ? `${fee.rvu.total.toFixed(2)} RVU × ${fee.units} ${fee.units === 1 ? 'unit' : 'units'}`
    : '';
  const component = fee.modifier ? `, modifier ${fee.modifier} row` : '';
  const row = fee.row === null ? '' : `, fee schedule row ${fee.row}`;
  return [rvu + component + row, fee.note].filter(Boolean).join('. ');
}
