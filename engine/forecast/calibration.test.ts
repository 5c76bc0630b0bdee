import { describe, expect, it } from 'vitest';
import { qt, zFor } from './stats.js';
import { calibrate, calibrationMultiplier, CALIBRATION_DF_PER_ORIGIN, CALIBRATION_SHAPE_DF, CALIBRATION_T_SCALE } from './meta.js';
import { normalIntervals } from './intervals.js';

describe('Student t quantile', () => {
  it('matches tabulated values', () => {
    // R: qt(0.975, 4), qt(0.9, 6), qt(0.95, 2), qt(0.975, 30)
    expect(qt(0.975, 4)).toBeCloseTo(2.776445, 2);
    expect(qt(0.9, 6)).toBeCloseTo(1.439756, 2);
    expect(qt(0.95, 2)).toBeCloseTo(2.919986, 1);
    expect(qt(0.975, 30)).toBeCloseTo(2.042272, 3);
  });
});

describe('interval calibration on backtest origins', () => {
  const se = [1, 2, 3, 4];
  const own = normalIntervals([10, 10, 10, 10], se, [80, 95]);

  it('scales the model own widths by the errors it made, with t quantiles', () => {
    // Two origins whose errors are twice the model's standard error, alternating in sign:
    // mean |u| = 2, so the scale is 2 / sqrt(2/pi).
    const origins = [own, own];
    const actuals = [se.map((s, i) => 10 + (i % 2 ? -2 : 2) * s), se.map((s, i) => 10 + (i % 2 ? 2 : -2) * s)];
    const out = calibrate(own, origins, actuals, [80, 95]);
    const scale = 2 / Math.sqrt(2 / Math.PI);
    const df = 1 / (1 / CALIBRATION_SHAPE_DF + 1 / (CALIBRATION_DF_PER_ORIGIN * 2));
    for (const [level, p] of [[80, 0.9], [95, 0.975]] as const) {
      const key = String(level);
      se.forEach((s, i) => {
        expect(out.hi[key][i] - 10).toBeCloseTo(scale * s * CALIBRATION_T_SCALE * qt(p, df), 10);
        expect(10 - out.lo[key][i]).toBeCloseTo(scale * s * CALIBRATION_T_SCALE * qt(p, df), 10);
      });
    }
    // Wider than the model's own (the errors were twice its standard error).
    expect(out.hi['95'][0]).toBeGreaterThan(own.hi['95'][0] + zFor(95));
  });

  it('multiplies the scale by a scaled t quantile whose tails come from the errors and from the origins', () => {
    for (const k of [1, 3, 6]) {
      const m80 = calibrationMultiplier(80, k);
      const m95 = calibrationMultiplier(95, k);
      const df = 1 / (1 / CALIBRATION_SHAPE_DF + 1 / (CALIBRATION_DF_PER_ORIGIN * k));
      expect(m80).toBeCloseTo(CALIBRATION_T_SCALE * qt(0.9, df), 12);
      // Heavier-tailed than the normal: the 95% / 80% ratio exceeds its 1.53.
      expect(m95 / m80).toBeGreaterThan(zFor(95) / zFor(80));
    }
    // More independent origins: a better-known scale, narrower bands, but never thinner-tailed
    // than t(CALIBRATION_SHAPE_DF) however many origins there are.
    expect(calibrationMultiplier(95, 6)).toBeLessThan(calibrationMultiplier(95, 3));
    expect(calibrationMultiplier(95, 3)).toBeLessThan(calibrationMultiplier(95, 1));
    expect(calibrationMultiplier(95, 1e9)).toBeCloseTo(CALIBRATION_T_SCALE * qt(0.975, CALIBRATION_SHAPE_DF), 6);
    // A lone origin gets ν = 3, as the earlier rule (ν = 3 per origin) gave it.
    expect(calibrationMultiplier(95, 1)).toBeCloseTo(CALIBRATION_T_SCALE * qt(0.975, 3), 12);
    // Against the earlier rule at three origins (t(9), κ = 1): narrower at 80%, wider at 95%.
    expect(calibrationMultiplier(80, 3)).toBeLessThan(qt(0.9, 9));
    expect(calibrationMultiplier(95, 3)).toBeGreaterThan(qt(0.975, 9));
  });

  it('keeps the model intervals with fewer than four errors', () => {
    const out = calibrate(own, [own], [[30, 30, 30]], [80, 95]);
    expect(out).toEqual({ mean: own.mean, lo: own.lo, hi: own.hi });
  });
});
