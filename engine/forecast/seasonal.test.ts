import { describe, expect, it } from 'vitest';
import { isSeasonal, multiplicativeIndices, seasonalAdjustment } from './seasonal.js';
import { AIR_PASSENGERS } from './golden.fixtures.js';

describe('classical multiplicative decomposition', () => {
  it('matches decompose(AirPassengers, type = "multiplicative")$figure (even period, 2x12 MA)', () => {
    // R: decompose(AirPassengers, type = "multiplicative")$figure
    const r = [
      0.910230367372, 0.883625320694, 1.007366287604, 0.975906012323, 0.981378027495, 1.112775826679, 1.226555542931,
      1.219910969446, 1.060491932647, 0.92175724041, 0.801178082413, 0.898824389985,
    ];
    multiplicativeIndices(AIR_PASSENGERS, 12).forEach((v, i) => expect(v).toBeCloseTo(r[i], 10));
  });

  it('matches decompose() for an odd period', () => {
    // R: decompose(ts(c(5,7,3,6,8,4,7,9,5,8,10,6,9,11,7), frequency = 3), type = "multiplicative")$figure
    const r = [1.04946825264, 1.300456472167, 0.650075275193];
    const y = [5, 7, 3, 6, 8, 4, 7, 9, 5, 8, 10, 6, 9, 11, 7];
    multiplicativeIndices(y, 3).forEach((v, i) => expect(v).toBeCloseTo(r[i], 10));
  });
});

describe("thetaf's seasonality test", () => {
  it('finds the yearly pattern of AirPassengers', () => {
    expect(isSeasonal(AIR_PASSENGERS, 12)).toBe(true);
  });

  it('finds none in white noise and needs more than two seasons', () => {
    let seed = 3;
    const noise = Array.from({ length: 300 }, () => {
      seed = (seed * 48271) % 2147483647;
      return 100 + seed / 2147483647;
    });
    expect(isSeasonal(noise, 52)).toBe(false);
    expect(isSeasonal(AIR_PASSENGERS.slice(0, 24), 12)).toBe(false);
  });

  it('declines a multiplicative adjustment for series with zeros', () => {
    const y = AIR_PASSENGERS.map((v, t) => (t === 5 ? 0 : v));
    expect(seasonalAdjustment(y, 12)).toBeUndefined();
  });
});
