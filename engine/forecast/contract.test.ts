import { describe, expect, it } from 'vitest';
import { SINGLE_MODELS } from './registry.js';
import { forecast, type ModelName } from './index.js';

/** A weekly-like series: trend, yearly season, deterministic noise, three years long. */
function weeklySeries(n = 156): number[] {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647 - 0.5;
  };
  return Array.from({ length: n }, (_, t) => 500 + 1.5 * t + 60 * Math.sin((2 * Math.PI * t) / 52) + 25 * rnd());
}

/** An intermittent demand series: mostly zeros, occasional orders. */
const intermittent = [0, 0, 3, 0, 0, 0, 5, 0, 1, 0, 0, 0, 0, 4, 0, 0, 2, 0, 0, 0, 0, 6, 0, 0, 1, 0, 0, 3, 0, 0];

function checkNested(lo95: number[], lo80: number[], mean: number[], hi80: number[], hi95: number[]) {
  for (let i = 0; i < mean.length; i++) {
    expect(lo95[i]).toBeLessThanOrEqual(lo80[i] + 1e-9);
    expect(lo80[i]).toBeLessThanOrEqual(mean[i] + 1e-9);
    expect(mean[i]).toBeLessThanOrEqual(hi80[i] + 1e-9);
    expect(hi80[i]).toBeLessThanOrEqual(hi95[i] + 1e-9);
  }
}

describe('every single model honours the Forecaster contract', () => {
  for (const [name, model] of Object.entries(SINGLE_MODELS)) {
    for (const [label, y, season] of [
      ['seasonal weekly series', weeklySeries(), 52],
      ['intermittent series', intermittent, 1],
    ] as const) {
      it(`${name} on a ${label}: fitted length, forecast length, finite nested intervals`, () => {
        const fit = model.fit([...y], { season });
        expect(fit.fitted).toHaveLength(y.length);
        expect(typeof fit.name).toBe('string');
        const p = fit.predict(13, [80, 95]);
        expect(p.mean).toHaveLength(13);
        for (const k of ['80', '95']) {
          expect(p.lo[k]).toHaveLength(13);
          expect(p.hi[k]).toHaveLength(13);
        }
        for (const arr of [p.mean, p.lo['80'], p.hi['80'], p.lo['95'], p.hi['95']]) {
          for (const v of arr) expect(Number.isFinite(v)).toBe(true);
        }
        checkNested(p.lo['95'], p.lo['80'], p.mean, p.hi['80'], p.hi['95']);
        // predict is a pure function of the fitted state.
        expect(fit.predict(13, [80, 95])).toEqual(p);
        // Parameters must survive a JSON round trip (stored with each forecast).
        expect(JSON.parse(JSON.stringify(fit.params))).toEqual(fit.params);
      });
    }
  }
});

describe('forecast() returns nested, non-negative, finite results for every public model', () => {
  const models: ModelName[] = [...(Object.keys(SINGLE_MODELS) as ModelName[]), 'auto', 'ensemble'];
  for (const model of models) {
    for (const [label, y, season] of [
      ['a seasonal weekly series', weeklySeries(), 52],
      ['an intermittent series', intermittent, 1],
    ] as const) {
      it(`${model} forecasts 13 steps of ${label} with 80/95/99 intervals`, () => {
        const r = forecast({ id: 'W', y: [...y], horizon: 13, season, model, levels: [80, 95, 99] });
        expect(r.id).toBe('W');
        expect(r.mean).toHaveLength(13);
        expect(Object.keys(r.lo).sort()).toEqual(['80', '95', '99']);
        checkNested(r.lo['95'], r.lo['80'], r.mean, r.hi['80'], r.hi['95']);
        checkNested(r.lo['99'], r.lo['95'], r.mean, r.hi['95'], r.hi['99']);
        for (const v of [...r.mean, ...r.lo['99']]) {
          expect(Number.isFinite(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(0);
        }
      });
    }
  }
});
