import { describe, expect, it } from 'vitest';
import { CovariateTable, indicatorCovariates, promotionCovariates } from './covariates.js';
import { addWeeks } from './history.js';

const start = '2024-01-01';
const w = (k: number) => addWeeks(start, k);

describe('known-ahead covariates', () => {
  it('reads an event as its value in matching weeks and 0 elsewhere, the deeper of two overlapping rows', () => {
    const t = new CovariateTable(
      [
        { week: w(3), name: 'discount', value: 0.1 },
        { week: w(3), name: 'discount', value: 0.3, match: { category: 'MUG' } },
        { week: w(4), name: 'discount', value: 0.2, match: { category: 'MUG', region: 'east' } },
      ],
      start,
      20,
    );
    expect(t.fill('discount')).toBe('zero');
    expect(t.value('discount', { category: 'MUG' }, 3)).toBe(0.3);
    expect(t.value('discount', { category: 'BAG' }, 3)).toBe(0.1);
    expect(t.value('discount', { category: 'MUG', region: 'east' }, 4)).toBe(0.2);
    expect(t.value('discount', { category: 'MUG', region: 'west' }, 4)).toBe(0);
    expect(t.value('discount', { category: 'MUG' }, 30)).toBe(0);
    expect(t.value('unknown', { category: 'MUG' }, 3)).toBe(0);
  });

  it('carries a series (a row in most history weeks) forward past its last value and back before its first', () => {
    const rows = indicatorCovariates(Array.from({ length: 10 }, (_, k) => ({ name: 'confidence', week: w(k + 1), value: 100 + k })));
    const t = new CovariateTable(rows, start, 11);
    expect(t.names).toEqual(['indicator:confidence']);
    expect(t.fill('indicator:confidence')).toBe('last');
    expect(t.value('indicator:confidence', {}, 5)).toBe(104);
    expect(t.value('indicator:confidence', {}, 25)).toBe(109);
    expect(t.value('indicator:confidence', {}, 0)).toBe(100);
  });

  it('turns promotions and festivals into weekly discount and festival rows', () => {
    const rows = promotionCovariates([
      { category: 'MUG', region: 'east', startWeek: w(2), endWeek: w(3), discount: 0.2, kind: 'promotion' },
      { category: null, startWeek: w(5), endWeek: w(5), discount: 0, kind: 'festival' },
    ], { matchRegion: 'region' });
    expect(rows).toEqual([
      { week: w(2), name: 'discount', value: 0.2, match: { category: 'MUG', region: 'east' } },
      { week: w(3), name: 'discount', value: 0.2, match: { category: 'MUG', region: 'east' } },
      { week: w(5), name: 'festival', value: 1, match: {} },
    ]);
    expect(() => promotionCovariates([{ startWeek: w(3), endWeek: w(2), discount: 0.1 }])).toThrow(/ends before it starts/);
  });

  it('names the row of a non-Monday week or a non-finite value', () => {
    expect(() => new CovariateTable([{ week: '2024-01-03', name: 'x', value: 1 }], start, 5)).toThrow(/row 1 \(x\): week 2024-01-03 is not a Monday/);
    expect(() => new CovariateTable([{ week: w(1), name: 'x', value: 1 }, { week: w(2), name: 'x', value: Number.NaN }], start, 5)).toThrow(/row 2 .*not a finite number/);
    expect(() => new CovariateTable([{ week: w(1), name: ' ', value: 1 }], start, 5)).toThrow(/name is empty/);
  });
});
