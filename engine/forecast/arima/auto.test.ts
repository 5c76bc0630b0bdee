/**
 * Automatic order selection against forecast::auto.arima (forecast 8.20, R 4.2.2), unit-root
 * tests against urca, and robustness on the M4 weekly fixture series at m = 52 (the check over all
 * 180 dev series runs in bench/arima-check.ts).
 */
import { describe, expect, it } from 'vitest';
import { ForecastInputError } from '../types.js';
import { m4WeeklyTrain, usAccDeaths, www } from './fixtures.js';
import { autoArima, fitAutoArima } from './index.js';
import { kpssStatistic, ndiffs } from './unitroot.js';

describe('unit-root tests (forecast::ndiffs, urca::ur.kpss)', () => {
  it('KPSS statistic matches ur.kpss(WWWusage, type = "mu", use.lag = 2) to 1e-10', () => {
    expect(kpssStatistic(www)).toBeCloseTo(0.721974318081584, 10);
  });
  it('ndiffs(WWWusage) = 1, ndiffs(USAccDeaths) = 0', () => {
    expect(ndiffs(www)).toBe(1);
    expect(ndiffs(usAccDeaths)).toBe(0);
  });
});

describe('autoArima reproduces auto.arima', () => {
  it('auto.arima(WWWusage): ARIMA(1,1,1), AICc 514.55, forecasts and 80/95% intervals', () => {
    const fit = fitAutoArima(www, { season: 1 });
    expect(fit.name).toBe('ARIMA(1,1,1)');
    expect(fit.aicc).toBeCloseTo(514.55, 1);
    // forecast(auto.arima(WWWusage), h = 10, level = c(80, 95)); tolerance 1e-3 absolute.
    const mean = [218.880496735, 218.152398706, 217.678861239, 217.370883847, 217.17058275, 217.040311729, 216.955586586, 216.900483388, 216.864645592, 216.841337551];
    const lo95 = [212.68399529, 203.313293238, 194.178566812, 185.650799074, 177.806895911, 170.61492614, 164.006617098, 157.906778101, 152.244913374, 146.959150414];
    const hi80 = [222.93217125, 227.855168243, 233.044877835, 238.111532462, 242.909114117, 247.39623972, 251.577056815, 255.474393912, 259.117217396, 262.534843675];
    const p = fit.predict(10, [80, 95]);
    mean.forEach((v, k) => expect(Math.abs(p.mean[k] - v)).toBeLessThan(1e-3));
    lo95.forEach((v, k) => expect(Math.abs(p.lo['95'][k] - v)).toBeLessThan(2e-3));
    hi80.forEach((v, k) => expect(Math.abs(p.hi['80'][k] - v)).toBeLessThan(2e-3));
  });

  it('auto.arima(USAccDeaths): ARIMA(0,1,1)(0,1,1)[12]', () => {
    const fit = fitAutoArima(usAccDeaths, { season: 12 });
    expect(fit.name).toBe('ARIMA(0,1,1)(0,1,1)[12]');
    // forecast(auto.arima(USAccDeaths), h = 3)$mean; tolerance 1.5 as in fit.test.ts.
    [8336.06126629841, 7531.82914118518, 8314.64376018511].forEach((v, k) => expect(Math.abs(fit.predict(3, []).mean[k] - v)).toBeLessThan(1.5));
  });

  it('implements the Forecaster contract: name, fitted length, interval keys, xreg checks', () => {
    expect(autoArima.name).toBe('arima');
    const fit = autoArima.fit(www, { season: 1 });
    expect(fit.fitted).toHaveLength(www.length);
    const p = fit.predict(4, [50, 80, 99]);
    expect(Object.keys(p.lo).sort()).toEqual(['50', '80', '99']);
    for (const k of ['50', '80', '99']) p.lo[k].forEach((v, i) => expect(v).toBeLessThan(p.hi[k][i]));
    expect(() => autoArima.fit([1, 2, NaN], { season: 1 })).toThrow(ForecastInputError);
    const xreg = www.map((_, i) => [i % 7 === 0 ? 1 : 0]);
    const withX = autoArima.fit(www, { season: 1, xreg });
    expect(() => withX.predict(3, [95])).toThrow(ForecastInputError);
    expect(withX.predict(3, [95], [[1], [0], [0]]).mean.every(Number.isFinite)).toBe(true);
  });

  it('constant and very short series give finite forecasts', () => {
    expect(autoArima.fit([5, 5, 5, 5, 5, 5], { season: 1 }).predict(3, [95]).mean).toEqual([5, 5, 5]);
    for (const y of [[1], [1, 2], [3, 1, 2], [1, 2, 4, 3, 5]]) {
      const p = autoArima.fit(y, { season: 52 }).predict(3, [95]);
      expect([...p.mean, ...p.lo['95'], ...p.hi['95']].every(Number.isFinite)).toBe(true);
    }
  });
});

describe('M4 weekly series at m = 52 (npm arima crashed or returned NaN)', () => {
  // The fixture holds 18 real series (80 to 2,179 weeks); bench/arima-check.ts runs all 180.
  it('every fit succeeds with finite forecasts, intervals, fitted values and AICc', { timeout: 120_000 }, () => {
    const failures: string[] = [];
    for (const [id, series] of Object.entries(m4WeeklyTrain)) {
      const fit = autoArima.fit([...series], { season: 52 });
      const p = fit.predict(13, [80, 95]);
      const values = [...p.mean, ...p.lo['80'], ...p.hi['80'], ...p.lo['95'], ...p.hi['95']];
      const fittedOk = fit.fitted.length === series.length && fit.fitted.every((v, t) => Number.isFinite(v) || t < 2);
      if (!values.every(Number.isFinite) || !fittedOk || !Number.isFinite(fit.aicc ?? NaN)) failures.push(`${id}: ${fit.name}`);
    }
    expect(Object.keys(m4WeeklyTrain)).toHaveLength(18);
    expect(failures).toEqual([]);
  });
});
