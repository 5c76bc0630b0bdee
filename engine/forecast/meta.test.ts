import { describe, expect, it } from 'vitest';
import { forecast } from './index.js';
import { candidatePool, windowsFor } from './candidates.js';
import { INTERMITTENT } from './golden.fixtures.js';

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

  it('falls back without failing when the series is too short to backtest', () => {
    const r = forecast({ y: [3, 5, 4, 6, 5], horizon: 13, season: 1, model: 'auto' });
    expect(r.mean).toHaveLength(13);
    expect(r.fallback).toMatch(/too short for a backtest/);
  });
});
