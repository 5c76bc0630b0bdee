import { describe, expect, it } from 'vitest';
import { bfgs, fromInterval, levenbergMarquardt, minimise, nelderMead, toInterval } from './index.js';

const rosenbrock = (x: number[]): number => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;

describe('minimisers', () => {
  it('BFGS, Nelder–Mead and Levenberg–Marquardt find the Rosenbrock minimum (1, 1)', () => {
    const b = bfgs(rosenbrock, [-1.2, 1], { maxIter: 500, relTol: 1e-12 });
    expect(b.x[0]).toBeCloseTo(1, 2);
    const nm = nelderMead(rosenbrock, [-1.2, 1], { step: [0.1, 0.1], reltol: 1e-14, maxEval: 5000 });
    expect(nm.converged).toBe(true);
    expect(nm.x[0]).toBeCloseTo(1, 2);
    const lm = levenbergMarquardt((x) => Float64Array.from([10 * (x[1] - x[0] ** 2), 1 - x[0]]), [-1.2, 1], { maxIter: 200, relTol: 1e-14 });
    expect(lm.x[0]).toBeCloseTo(1, 4);
    expect(lm.x[1]).toBeCloseTo(1, 4);
  });

  it('Nelder–Mead says when it stopped on its evaluation budget, not on convergence', () => {
    const nm = nelderMead(rosenbrock, [-1.2, 1], { step: [0.1, 0.1], maxEval: 20 });
    expect(nm.converged).toBe(false);
    expect(nm.evals).toBeGreaterThanOrEqual(20);
  });

  it('minimise falls back to Nelder–Mead when BFGS starts on a non-finite value', () => {
    // Infinite left of x = 0.5 (where BFGS's start lies); Nelder–Mead's simplex walks out of it.
    const f = (x: number[]): number => (x[0] < 0.5 ? Infinity : (x[0] - 2) ** 2);
    const r = minimise(f, [0.45]);
    expect(Number.isFinite(r.value)).toBe(true);
    expect(Math.abs(r.x[0] - 2)).toBeLessThan(0.1);
  });

  it('maps bounded parameters through the logistic transform and back', () => {
    expect(toInterval(fromInterval(0.3, 0, 1), 0, 1)).toBeCloseTo(0.3, 12);
    expect(toInterval(0, 2, 4)).toBe(3);
  });
});
