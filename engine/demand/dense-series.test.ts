import { describe, expect, it } from 'vitest';
import { denseSeries } from './index.js';

describe('denseSeries', () => {
  it('fills missing weeks with zero sales up to the cut-off', () => {
    const s = denseSeries([{ week: '2026-01-05', units: 3, stockout: false }, { week: '2026-01-19', units: 5, stockout: false }], '2026-02-02');
    expect(s).toEqual({ start: '2026-01-05', y: [3, 0, 5, 0, 0], imputed: 0 });
  });

  it('imputes a stock-out week with the median of the last uncensored weeks when that is larger', () => {
    const rows = [4, 6, 8, 10].map((units, i) => ({ week: `2026-01-${String(5 + 7 * i).padStart(2, '0')}`, units, stockout: false }));
    const s = denseSeries([...rows, { week: '2026-02-02', units: 1, stockout: true }, { week: '2026-02-09', units: 20, stockout: true }], '2026-02-09');
    // The median of [4, 6, 8, 10] (upper middle) is 8; a censored 20 is kept as observed.
    expect(s.y).toEqual([4, 6, 8, 10, 8, 20]);
    expect(s.imputed).toBe(1);
  });

  it('returns an empty series starting at the cut-off when there are no rows', () => {
    expect(denseSeries([], '2026-02-09')).toEqual({ start: '2026-02-09', y: [], imputed: 0 });
  });
});
