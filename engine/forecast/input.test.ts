import { describe, expect, it } from 'vitest';
import { forecast, forecastBatch, ForecastInputError, type ForecastRequest } from './index.js';

const base: ForecastRequest = { y: [3, 5, 4, 6, 5, 7, 6, 8], horizon: 3, season: 1, model: 'naive' };

describe('bad input is rejected with a message naming the problem', () => {
  const cases: Array<[string, Partial<ForecastRequest>, RegExp]> = [
    ['an empty series', { y: [] }, /empty/],
    ['a NaN value', { y: [1, 2, NaN, 4] }, /position 3 is not a finite number/],
    ['an infinite value', { y: [1, Infinity, 3, 4] }, /position 2 is not a finite number/],
    ['a negative value', { y: [1, 2, -3, 4] }, /position 3 is negative/],
    ['two points', { y: [1, 2] }, /at least 3/],
    ['a zero horizon', { horizon: 0 }, /horizon/],
    ['a fractional season', { season: 1.5 }, /season/],
    ['a level of 100', { levels: [80, 100] }, /level 100/],
    ['an unknown model', { model: 'prophet' as ForecastRequest['model'] }, /unknown model "prophet"/],
  ];
  for (const [what, patch, message] of cases) {
    it(`rejects ${what}`, () => {
      expect(() => forecast({ ...base, ...patch })).toThrow(ForecastInputError);
      expect(() => forecast({ ...base, ...patch })).toThrow(message);
    });
  }
});

describe('documented fallbacks', () => {
  it('forecasts a constant series as the constant with zero-width intervals', () => {
    const r = forecast({ ...base, y: [4, 4, 4, 4, 4], model: 'auto' });
    expect(r.mean).toEqual([4, 4, 4]);
    expect(r.lo['95']).toEqual([4, 4, 4]);
    expect(r.fallback).toMatch(/constant/);
  });

  it('fits a series of at most one season without seasonality and says so', () => {
    const y = Array.from({ length: 40 }, (_, t) => 10 + (t % 7));
    const r = forecast({ y, horizon: 4, season: 52, model: 'snaive' });
    expect(r.model).toBe('Naive');
    expect(r.fallback).toMatch(/not more than one season of 52/);
  });

  it('keeps seasonal naive seasonal between one and two seasons, noting the limit', () => {
    const y = Array.from({ length: 60 }, (_, t) => 10 + (t % 7));
    const r = forecast({ y, horizon: 4, season: 52, model: 'snaive' });
    expect(r.model).toBe('SNaive');
    expect(r.mean).toEqual(y.slice(8, 12));
    expect(r.fallback).toMatch(/fewer than two seasons of 52/);
  });

  it('clips forecasts and bounds of a falling series at zero', () => {
    const r = forecast({ ...base, y: [50, 40, 30, 20, 10, 5], horizon: 10, model: 'drift' });
    for (const v of [...r.mean, ...r.lo['95']]) expect(v).toBeGreaterThanOrEqual(0);
  });
});

describe('forecastBatch', () => {
  it('reports a bad series by id and still forecasts the others', () => {
    const out = forecastBatch([
      { ...base, id: 'good-1' },
      { ...base, id: 'bad', y: [1, NaN, 2] },
      { ...base, id: 'good-2', model: 'drift' },
    ]);
    expect(out.map((o) => o.ok)).toEqual([true, false, true]);
    const bad = out[1];
    if (bad.ok) throw new Error('expected a failure');
    expect(bad.id).toBe('bad');
    expect(bad.error).toMatch(/not a finite number/);
  });
});
