import { describe, expect, it } from 'vitest';
import { naive } from './naive.js';
import { drift } from './drift.js';
import { snaive } from './snaive.js';
import { standardTheta } from './theta.js';
import { fitEts, fitEtsSpec } from './ets.js';
import { etsPredict } from './ets-core.js';
import { croston } from './croston.js';
import { sba } from './sba.js';
import * as R from './golden.fixtures.js';

/** Every element within `rel` relative error of R's value. */
function expectClose(actual: number[], expected: number[], rel: number) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => {
    const tol = rel * Math.max(1, Math.abs(expected[i]));
    if (Math.abs(v - expected[i]) > tol) {
      throw new Error(`element ${i}: got ${v}, R gave ${expected[i]} (tolerance ${tol})`);
    }
  });
}

describe('golden values from R forecast 8.20', () => {
  it('naive matches naive(WWWusage) including intervals', () => {
    const p = naive.fit(R.WWWUSAGE, { season: 1 }).predict(5, [80, 95]);
    expectClose(p.mean, R.R_NAIVE_WWW.mean, 1e-9);
    expectClose(p.lo['80'], R.R_NAIVE_WWW.lo80, 1e-9);
    expectClose(p.hi['95'], R.R_NAIVE_WWW.hi95, 1e-9);
  });

  it('drift matches rwf(WWWusage, drift = TRUE) including the drift standard error', () => {
    const p = drift.fit(R.WWWUSAGE, { season: 1 }).predict(5, [80, 95]);
    expectClose(p.mean, R.R_DRIFT_WWW.mean, 1e-9);
    expectClose(p.lo['80'], R.R_DRIFT_WWW.lo80, 1e-9);
    expectClose(p.hi['95'], R.R_DRIFT_WWW.hi95, 1e-9);
  });

  it('seasonal naive matches snaive(AirPassengers) over more than one season', () => {
    const p = snaive.fit(R.AIR_PASSENGERS, { season: 12 }).predict(14, [80, 95]);
    expectClose(p.mean, R.R_SNAIVE_AIR.mean, 1e-9);
    expectClose(p.lo['80'], R.R_SNAIVE_AIR.lo80, 1e-9);
    expectClose(p.hi['95'], R.R_SNAIVE_AIR.hi95, 1e-9);
  });

  // Optimiser differences (R's Nelder–Mead on all parameters vs our profile likelihood) move
  // estimates in the 5th digit, hence 1e-4.
  it('standard theta matches thetaf(WWWusage), intervals included', () => {
    const p = standardTheta.fit(R.WWWUSAGE, { season: 1 }).predict(5, [80, 95]);
    expectClose(p.mean, R.R_THETAF_WWW.mean, 1e-4);
    expectClose(p.lo['80'], R.R_THETAF_WWW.lo80, 1e-4);
    expectClose(p.hi['95'], R.R_THETAF_WWW.hi95, 1e-4);
  });

  it('standard theta with multiplicative seasonal adjustment matches thetaf(AirPassengers)', () => {
    const fit = standardTheta.fit(R.AIR_PASSENGERS, { season: 12 });
    expect(fit.params.seasonal).toBe(true);
    expectClose(fit.predict(12, [95]).mean, R.R_THETAF_AIR_MEAN, 1e-4);
  });

  it('automatic ETS picks ETS(A,Ad,N) for WWWusage with an AICc no worse than R', () => {
    const fit = fitEts(R.WWWUSAGE, 1);
    expect(fit.name).toBe(R.R_ETS_WWW.method);
    expect(fit.aicc!).toBeLessThanOrEqual(R.R_ETS_WWW.aicc + 1e-3);
    const p = fit.predict(5, [80, 95]);
    // Both optima sit on the α = 0.9999 bound; φ differs slightly (0.80 vs 0.815).
    expectClose(p.mean, R.R_ETS_WWW.mean, 2e-3);
    expectClose(p.hi['95'], R.R_ETS_WWW.hi95, 5e-3);
    expectClose(p.lo['80'], R.R_ETS_WWW.lo80, 5e-3);
  });

  it('ETS(A,N,N) reproduces R\'s AICc, σ² and class-1 intervals', () => {
    const fit = fitEtsSpec(R.WWWUSAGE, { error: 'A', trend: 'N', season: 'N', m: 1 })!;
    expect(Math.abs(fit.aicc - R.R_ETS_ANN_WWW.aicc)).toBeLessThan(0.01);
    expect(fit.aicc).toBeLessThanOrEqual(R.R_ETS_ANN_WWW.aicc + 1e-6);
    expect(fit.state.sigma2).toBeCloseTo(R.R_ETS_ANN_WWW.sigma2, 2);
    const p = etsPredict(fit.state, 5, [95]);
    expectClose(p.mean, R.R_ETS_ANN_WWW.mean, 1e-5);
    expectClose(p.hi['95'], R.R_ETS_ANN_WWW.hi95, 1e-4);
  });

  it('ETS(M,N,N) reproduces R\'s AICc, σ² and class-2 intervals', () => {
    const fit = fitEtsSpec(R.WWWUSAGE, { error: 'M', trend: 'N', season: 'N', m: 1 })!;
    expect(Math.abs(fit.aicc - R.R_ETS_MNN_WWW.aicc)).toBeLessThan(0.01);
    expect(fit.state.sigma2 / R.R_ETS_MNN_WWW.sigma2).toBeCloseTo(1, 3);
    expectClose(etsPredict(fit.state, 5, [95]).hi['95'], R.R_ETS_MNN_WWW.hi95, 1e-4);
  });

  it('automatic ETS picks ETS(M,Ad,M) for AirPassengers with an AICc no worse than R', () => {
    const fit = fitEts(R.AIR_PASSENGERS, 12);
    expect(fit.name).toBe(R.R_ETS_AIR.method);
    expect(fit.aicc!).toBeLessThanOrEqual(R.R_ETS_AIR.aicc + 1e-3);
    const p = fit.predict(12, [95]);
    expectClose(p.mean, R.R_ETS_AIR.mean, 1e-2);
    // Class-3 intervals are simulated on both sides.
    expectClose(p.hi['95'], R.R_ETS_AIR.hi95, 3e-2);
  });

  it('Croston matches croston(x) forecasts and fitted values; SBA applies (1 − α/2)', () => {
    const fit = croston.fit(R.INTERMITTENT, { season: 1 });
    expectClose(fit.predict(5, [80]).mean, new Array(5).fill(R.R_CROSTON.mean), 1e-10);
    expect(Number.isNaN(fit.fitted[0])).toBe(true);
    expectClose(fit.fitted.slice(1), R.R_CROSTON.fitted.slice(1), 1e-10);
    expect(sba.fit(R.INTERMITTENT, { season: 1 }).predict(1, [80]).mean[0]).toBeCloseTo(R.R_CROSTON.mean * 0.95, 10);
  });
});
