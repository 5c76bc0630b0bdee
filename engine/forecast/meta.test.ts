import { describe, expect, it } from 'vitest';
import { forecast } from './index.js';
import { candidatePool, windowsFor } from './candidates.js';
import { INTERMITTENT } from './golden.fixtures.js';
import { calibrate, evaluate, originPlan } from './meta.js';

/** Five years of weekly data with a level shift two years ago: recent windows should matter. */
function shifted(): number[] {
  let seed = 11;
  return Array.from({ length: 260 }, (_, t) => {
    seed = (seed * 16807) % 2147483647;
    const level = t < 156 ? 200 : 400;
    return level * (1 + 0.2 * Math.sin((2 * Math.PI * t) / 52)) + 10 * (seed / 2147483647 - 0.5);
  });
}

describe('auto and ensemble', () => {
  it('auto reports the concrete winner and its rolling-origin backtest', () => {
    const r = forecast({ y: shifted(), horizon: 13, season: 52, model: 'auto' });
    expect(r.backtest?.origins).toBe(3);
    expect(r.model).not.toMatch(/auto/i);
    expect(typeof r.params.candidate).toBe('string');
    // After the shift the forecast must sit near the new level, not the long-run mean.
    expect(r.mean[0]).toBeGreaterThan(300);
  });

  it('ensemble combines three members with weights that sum to one', () => {
    const r = forecast({ y: shifted(), horizon: 13, season: 52, model: 'ensemble' });
    const w = r.params.weights as number[];
    expect(w).toHaveLength(3);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(r.model).toMatch(/^Ensemble\(/);
    expect(r.backtest?.origins).toBe(3);
  });

  it('uses recent windows only for seasons of 12 and more', () => {
    expect(windowsFor(1000, 52)).toEqual([156, 208, 260, 312, 416]);
    expect(windowsFor(200, 52)).toEqual([156]);
    expect(windowsFor(1000, 4)).toEqual([]);
  });

  it('brings the intermittent-demand models into the pool for series with many zeros', () => {
    const keys = candidatePool(INTERMITTENT, 1).map((c) => c.key);
    expect(keys).toEqual(expect.arrayContaining(['croston', 'sba', 'tsb']));
    expect(candidatePool([5, 6, 7, 8, 9, 10], 1).map((c) => c.key)).not.toContain('croston');
  });

  it('backtests monthly series at six origins half a horizon apart, weekly at three a horizon apart', () => {
    expect(originPlan(12, 18)).toEqual({ origins: 6, step: 9 });
    expect(originPlan(52, 13)).toEqual({ origins: 3, step: 13 });
    const monthly = Array.from({ length: 144 }, (_, t) => (100 + t) * (1 + 0.2 * Math.sin((2 * Math.PI * t) / 12)));
    const ev = evaluate(monthly, 12, 18);
    expect(ev.lengths).toEqual([126, 117, 108, 99, 90, 81]);
    // Six origins half a horizon apart carry three horizons' worth of independent errors.
    expect(ev.independentOrigins).toBe(3);
    expect(forecast({ y: monthly, horizon: 18, season: 12, model: 'auto' }).backtest?.origins).toBe(6);
    // A series with room for one origin only: it overlaps none, so it counts whole.
    const short = evaluate(monthly.slice(0, 50), 12, 18);
    expect(short.lengths).toEqual([32]);
    expect(short.independentOrigins).toBe(1);
  });

  it('widens calibrated intervals when the origins carry fewer independent errors', () => {
    const own = { mean: [10, 10, 10], lo: { '80': [8, 8, 8] }, hi: { '80': [12, 12, 12] } };
    const origins = [own, own, own, own];
    const actuals = [[12, 8, 11], [9, 13, 10], [7, 12, 11], [11, 9, 14]];
    const all = calibrate(own, origins, actuals, [80]);
    const half = calibrate(own, origins, actuals, [80], 2);
    expect(half.hi['80'][0] - 10).toBeGreaterThan(all.hi['80'][0] - 10);
  });

  it('falls back without failing when the series is too short to backtest', () => {
    const r = forecast({ y: [3, 5, 4, 6, 5], horizon: 13, season: 1, model: 'auto' });
    expect(r.mean).toHaveLength(13);
    expect(r.fallback).toMatch(/too short for a backtest/);
  });
});
