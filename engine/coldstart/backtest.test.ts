import { describe, expect, it } from 'vitest';
import { timeHonestSplit } from './backtest.js';
import { addWeeks } from './history.js';
import type { ItemRow, SalesRow } from './types.js';

const START = '2010-01-04';
const items: ItemRow[] = ['OLD', 'EARLY', 'A', 'B', 'LATE'].map((itemId) => ({ itemId, attributes: { category: 'X' } }));
const sales: SalesRow[] = [];
const put = (id: string, w0: number, units: number[]): void =>
  units.forEach((u, s) => sales.push({ itemId: id, week: addWeeks(START, w0 + s), units: u }));
put('OLD', 0, [5, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
put('EARLY', 2, [1, 1]); // first sold inside the burn-in, before the cut
put('A', 6, [3, 0, 4, 1]); // launches at the cut
put('B', 8, [2, 2]); // launches two weeks after it; the data ends at week 9
put('LATE', 9, [7]); // launches after the launch window

describe('time-honest split', () => {
  const split = timeHonestSplit({ sales, items, cut: addWeeks(START, 6), horizon: 3, launchWeeks: 3, burnIn: 4 });

  it('keeps only sales before the cut of items first sold before it', () => {
    expect(split.items.map((i) => i.itemId)).toEqual(['OLD', 'EARLY']);
    expect(split.sales.every((r) => r.week < addWeeks(START, 6))).toBe(true);
    expect(split.sales.some((r) => r.itemId === 'A' || r.itemId === 'B')).toBe(false);
  });

  it('turns launches in the window into candidates, truth cut at the horizon and at the data end', () => {
    expect(split.candidates.map((c) => [c.itemId, c.launchWeek])).toEqual([
      ['A', addWeeks(START, 6)],
      ['B', addWeeks(START, 8)],
    ]);
    expect(split.truth.get('A')).toEqual([3, 0, 4]);
    expect(split.truth.get('B')).toEqual([2, 2]);
    expect(split.truth.has('LATE')).toBe(false);
  });
});
