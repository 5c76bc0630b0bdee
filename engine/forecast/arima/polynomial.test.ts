import { describe, expect, it } from 'vitest';
import { arRootsOutside, arToPacf, differencingPoly, expandSeasonal, pacfToAr, psiWeights } from './polynomial.js';
import { filterArma, stationaryCovariance, stateSpace } from './kalman.js';

describe('polynomial helpers', () => {
  it('the PACF map gives stationary AR polynomials and inverts exactly', () => {
    const u = [2.5, -1.2, 0.7, -3];
    const phi = pacfToAr(u, 0, 4);
    expect(arRootsOutside(phi)).toBe(true);
    arToPacf(phi)!.forEach((v, i) => expect(v).toBeCloseTo(u[i], 10));
    expect(arToPacf([1.2])).toBeNull();
    expect(arRootsOutside([0.995], 1.01)).toBe(false);
  });
  it('seasonal expansion and differencing polynomial', () => {
    const { phi, theta } = expandSeasonal([0.5], [0.3], [0.4], [-0.2], 4);
    // (1 − 0.5B)(1 − 0.4B⁴) = 1 − 0.5B − 0.4B⁴ + 0.2B⁵
    phi.forEach((v, i) => expect(v).toBeCloseTo([0.5, 0, 0, 0.4, -0.2][i], 12));
    // (1 + 0.3B)(1 − 0.2B⁴) = 1 + 0.3B − 0.2B⁴ − 0.06B⁵
    theta.forEach((v, i) => expect(v).toBeCloseTo([0.3, 0, 0, -0.2, -0.06][i], 12));
    expect(differencingPoly(1, 1, 4)).toEqual([1, -1, 0, 0, -1, 1]);
  });
  it('ψ-weights of ARIMA(1,0,0) are φ^j, of a random walk all 1', () => {
    psiWeights([0.6], [], 5).forEach((v, j) => expect(v).toBeCloseTo(0.6 ** j, 12));
    expect(psiWeights([1], [], 4)).toEqual([1, 1, 1, 1]);
  });
});

describe('Kalman filter', () => {
  it('stationary covariance of an AR(1) is 1/(1 − φ²)', () => {
    const P = stationaryCovariance(stateSpace([0.9], []))!;
    expect(P[0]).toBeCloseTo(1 / (1 - 0.81), 8);
  });
  it('MA(1) innovations match the exact innovations algorithm on a short series', () => {
    // For MA(1) with θ: F_1 = 1 + θ², F_t = 1 + θ² − θ²/F_{t−1} (Brockwell & Davis §5.2).
    const theta = 0.6;
    const f = filterArma([[1, -1, 2, 0.5]], [], [theta])!;
    let F = 1 + theta * theta;
    let sumLog = Math.log(F);
    for (let t = 1; t < 4; t++) {
      F = 1 + theta * theta - (theta * theta) / F;
      sumLog += Math.log(F);
    }
    expect(f.sumLog).toBeCloseTo(sumLog, 12);
  });
});
