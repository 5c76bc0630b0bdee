import { describe, expect, it } from 'vitest';
import { coverage, mase, maseScale, smape } from './metrics.js';

describe('M4 metrics', () => {
  it('sMAPE is the mean of 200|y-f|/(|y|+|f|)', () => {
    // 200*10/210 = 9.5238..., 200*0/200 = 0, 200*50/150 = 66.666...
    expect(smape([100, 100, 50], [110, 100, 100])).toBeCloseTo((200 * 10) / 210 / 3 + (200 * 50) / 150 / 3, 10);
  });

  it('sMAPE counts a step with y = f = 0 as exact', () => {
    expect(smape([0, 2], [0, 2])).toBe(0);
  });

  it('MASE divides the horizon MAE by the in-sample mean absolute lag-m difference', () => {
    const train = [1, 3, 2, 5, 4, 6];
    // lag-1 diffs: 2,1,3,1,2 -> 1.8 ; lag-2 diffs: 1,2,2,1 -> 1.5
    expect(maseScale(train, 1)).toBeCloseTo(1.8, 12);
    expect(maseScale(train, 2)).toBeCloseTo(1.5, 12);
    expect(mase(train, [7, 8], [6, 10], 1)).toBeCloseTo(1.5 / 1.8, 12);
    expect(mase(train, [7, 8], [6, 10], 2)).toBeCloseTo(1.5 / 1.5, 12);
  });

  it('MASE refuses a training series no longer than m', () => {
    expect(() => maseScale([1, 2, 3], 3)).toThrow(/more than 3/);
  });

  it('coverage counts points inside closed intervals', () => {
    expect(coverage([1, 2, 3, 4], [0, 2, 4, 0], [1, 3, 5, 3])).toBe(0.5);
  });
});
