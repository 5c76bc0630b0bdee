import { describe, expect, it } from 'vitest';
import { logTheta, standardTheta } from './theta.js';
import { ForecastInputError } from './types.js';
import { candidatePool } from './candidates.js';

describe('log-scale theta', () => {
  const falling = Array.from({ length: 40 }, (_, t) => (t < 25 ? 1000 - 38 * t : 60 + 5 * Math.sin(t)));

  it('is standard theta on the log series, exponentiated back', () => {
    const fit = logTheta.fit(falling, { season: 1 });
    const onLog = standardTheta.fit(falling.map(Math.log), { season: 1 }).predict(6, [80]);
    const p = fit.predict(6, [80]);
    p.mean.forEach((v, i) => expect(v).toBeCloseTo(Math.exp(onLog.mean[i]), 8));
    p.hi['80'].forEach((v, i) => expect(v).toBeCloseTo(Math.exp(onLog.hi['80'][i]), 8));
  });

  it('stays positive where the full-history slope drives plain theta below zero', () => {
    expect(Math.min(...standardTheta.fit(falling, { season: 1 }).predict(18, []).mean)).toBeLessThan(0);
    expect(Math.min(...logTheta.fit(falling, { season: 1 }).predict(18, []).mean)).toBeGreaterThan(0);
  });

  it('rejects a series with zeros and joins the pool only for positive series at m <= 24', () => {
    expect(() => logTheta.fit([3, 0, 4, 5, 6], { season: 1 })).toThrow(ForecastInputError);
    expect(candidatePool(falling, 12).map((c) => c.key)).toContain('logtheta');
    expect(candidatePool([0, ...falling], 12).map((c) => c.key)).not.toContain('logtheta');
    expect(candidatePool(falling, 52).map((c) => c.key)).not.toContain('logtheta');
  });
});
