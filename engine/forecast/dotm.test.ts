import { describe, expect, it } from 'vitest';
import { dotm, dotmAt, dotmPredict, fitDotm, logDotm } from './dotm.js';
import { ForecastInputError } from './types.js';
import { candidatePool } from './candidates.js';
import { REFERENCE_CANDIDATES } from './meta.js';

describe('dynamic optimised theta model', () => {
  it('follows the state equations (values derived by hand)', () => {
    // y = 1, 3, 2, 4 with α = 0.5, θ = 2, ℓ0 = 0. Lines of the first t points: (A, B) =
    // (1, 0), (−1, 2), (1, 0.5), (0.5, 0.8); levels 0.5, 1.75, 1.875, 2.9375.
    const { state, fitted } = dotmAt([1, 3, 2, 4], 0.5, 2, 0);
    [1, 0.75, 3.375, 2.40625].forEach((v, i) => expect(fitted[i]).toBeCloseTo(v, 12));
    expect(state.a).toBeCloseTo(0.5, 12);
    expect(state.b).toBeCloseTo(0.8, 12);
    expect(state.level).toBeCloseTo(2.9375, 12);
    // Forecasts feed back into the level and the line: 3.728125, then ℓ5 = 3.3328125,
    // (A5, B5) = (0.80875, 0.645625) and 3.980986328125.
    const p = dotmPredict({ ...state, sigma2: 1 }, 2, [80]);
    expect(p.mean[0]).toBeCloseTo(3.728125, 12);
    expect(p.mean[1]).toBeCloseTo(3.980986328125, 12);
    // A unit error at step 1 moves step 2 by 0.5 (level) + 0.5·(−0.4/32 + 0.2·63/32) = 0.690625.
    const ratio = (p.hi['80'][1] - p.mean[1]) / (p.hi['80'][0] - p.mean[0]);
    expect(ratio).toBeCloseTo(Math.sqrt(1 + 0.690625 ** 2), 10);
    // ℓ0 enters the step-(t+1) prediction through (1 − α)^t.
    const shifted = dotmAt([1, 3, 2, 4], 0.5, 2, 8).fitted;
    [0, 4, 2, 1].forEach((d, i) => expect(shifted[i] - fitted[i]).toBeCloseTo(d, 12));
  });

  // An independent implementation of the paper's equations in R (optim's Nelder–Mead over ℓ0,
  // α and θ, the errors of μ_3..μ_n, as forecTheta's dotm) gave on this series α = 0.68136,
  // θ = 3.8461, ℓ0 = −90.17, SSE 1515.0214 and these forecasts.
  const s1 = [
    103.0, 110.31, 100.78, 101.21, 112.19, 114.67, 112.46, 116.77, 126.64, 122.48, 117.89, 125.13, 133.9, 132.64, 131.84,
    140.05, 143.82, 136.6, 138.1, 151.38, 152.32, 163.43, 166.5, 178.14, 170.97, 166.56, 179.86, 181.58, 176.21, 173.16,
    188.61, 185.0, 177.13, 184.37, 187.43, 182.69,
  ];
  const rForecast = [186.673046, 188.628421, 190.555497, 192.456438, 194.333129, 196.187221];

  it('reaches the optimum an independent R fit found', () => {
    const { state, fitted } = fitDotm(s1);
    let sse = 0;
    for (let t = 2; t < s1.length; t++) sse += (s1[t] - fitted[t]) ** 2;
    expect(sse).toBeLessThanOrEqual(1515.0214 * (1 + 1e-6));
    expect(state.alpha).toBeCloseTo(0.6814, 2);
    expect(state.theta).toBeCloseTo(3.846, 1);
    dotmPredict(state, 6, []).mean.forEach((v, i) => expect(v).toBeCloseTo(rForecast[i], 2));
    // The closed-form ℓ0 is the minimum along ℓ0 at the chosen α, θ.
    const sseAt = (l0: number) => {
      const f = dotmAt(s1, state.alpha, state.theta, l0).fitted;
      let s = 0;
      for (let t = 2; t < s1.length; t++) s += (s1[t] - f[t]) ** 2;
      return s;
    };
    expect(sseAt(state.l0)).toBeCloseTo(sse, 6);
    expect(sseAt(state.l0 + 5)).toBeGreaterThan(sse);
    expect(sseAt(state.l0 - 5)).toBeGreaterThan(sse);
  });

  it('forecasts through the seasonal adjustment and on the log scale', () => {
    const seasonal = Array.from({ length: 72 }, (_, t) => (100 + t) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 12)));
    const fit = dotm.fit(seasonal, { season: 12 });
    expect(fit.params.seasonal).toBe(true);
    const p = fit.predict(12, [80, 95]);
    // The seasonal peak is forecast where the history has it: t % 12 = 3, step 3 after t = 71.
    expect(p.mean.indexOf(Math.max(...p.mean))).toBe(3);
    for (let i = 0; i < 12; i++) expect(p.lo['95'][i]).toBeLessThan(p.lo['80'][i]);
    expect(() => logDotm.fit([3, 0, 4, 5, 6], { season: 1 })).toThrow(ForecastInputError);
    expect(() => dotm.fit([3, 4, 5], { season: 1 })).toThrow(ForecastInputError);
    const log = logDotm.fit(s1, { season: 1 }).predict(6, []);
    const onLog = dotmPredict(fitDotm(s1.map(Math.log)).state, 6, []);
    log.mean.forEach((v, i) => expect(v).toBeCloseTo(Math.exp(onLog.mean[i]), 8));
  });

  it('joins the pool at m <= 24 with its mean with log theta as the reference', () => {
    expect(REFERENCE_CANDIDATES[0]).toBe('dotm+logtheta');
    const keys = candidatePool(s1, 12).map((c) => c.key);
    expect(keys).toContain('dotm');
    expect(keys).toContain('dotm+logtheta');
    expect(candidatePool([0, ...s1], 12).map((c) => c.key)).not.toContain('dotm+logtheta');
    expect(candidatePool(s1, 52).map((c) => c.key)).not.toContain('dotm');
    const pair = candidatePool(s1, 1).find((c) => c.key === 'dotm+logtheta')!.fit(s1, 1).model.predict(6, []);
    const d = dotm.fit(s1, { season: 1 }).predict(6, []).mean;
    const l = candidatePool(s1, 1).find((c) => c.key === 'logtheta')!.fit(s1, 1).model.predict(6, []).mean;
    pair.mean.forEach((v, i) => expect(v).toBeCloseTo((d[i] + l[i]) / 2, 8));
  });
});
