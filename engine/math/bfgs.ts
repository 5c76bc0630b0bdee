/**
 * BFGS for small, smooth objectives (ARIMA estimation).
 *
 * `bfgs` is a variable-metric method with numerical central-difference gradients and a
 * backtracking (Armijo) line search, following the structure of Nash's algorithm 21
 * (Compact Numerical Methods for Computers, 1990), which R's `optim(method = "BFGS")` uses.
 * `minimise` falls back to the shared Nelder–Mead (./nelder-mead.ts) when BFGS ends on a
 * non-finite value.
 */
import { nelderMead } from './nelder-mead.js';
import type { Objective, OptimOptions, OptimResult } from './optim-types.js';

export type { Objective, OptimOptions, OptimResult };

function numericalGradient(f: Objective, x: number[], fx: number, h: number, counter: { n: number }): number[] {
  const g = new Array<number>(x.length);
  const xp = x.slice();
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    xp[i] = xi + h;
    const fp = f(xp);
    xp[i] = xi - h;
    const fm = f(xp);
    xp[i] = xi;
    counter.n += 2;
    if (Number.isFinite(fp) && Number.isFinite(fm)) g[i] = (fp - fm) / (2 * h);
    else if (Number.isFinite(fp)) g[i] = (fp - fx) / h;
    else if (Number.isFinite(fm)) g[i] = (fx - fm) / h;
    else g[i] = 0;
  }
  return g;
}

export function bfgs(f: Objective, x0: number[], options: OptimOptions = {}): OptimResult {
  const n = x0.length;
  const maxIter = options.maxIter ?? 100;
  const relTol = options.relTol ?? 1e-8;
  const h = options.gradStep ?? 1e-3;
  const acceptTol = 1e-4;
  const shrink = 0.2;
  const counter = { n: 0 };
  let x = x0.slice();
  let fx = f(x);
  counter.n++;
  if (n === 0 || !Number.isFinite(fx)) {
    return { x, value: fx, converged: n === 0 && Number.isFinite(fx), iterations: 0, evaluations: counter.n };
  }
  let g = numericalGradient(f, x, fx, h, counter);
  // Inverse Hessian approximation, reset to the identity whenever curvature information is bad.
  let B = identity(n);
  let iter = 0;
  let resets = 0;
  let converged = false;
  while (iter < maxIter) {
    iter++;
    const dir = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s -= B[i][j] * g[j];
      dir[i] = s;
    }
    let slope = 0;
    for (let i = 0; i < n; i++) slope += dir[i] * g[i];
    if (!(slope < 0)) {
      // Not a descent direction: restart from steepest descent once, else stop.
      if (resets++ > 2) break;
      B = identity(n);
      continue;
    }
    let step = 1;
    let xn = x;
    let fn = fx;
    let accepted = false;
    for (let tries = 0; tries < 40; tries++) {
      xn = x.map((v, i) => v + step * dir[i]);
      if (xn.every((v, i) => v === x[i])) break;
      fn = f(xn);
      counter.n++;
      if (Number.isFinite(fn) && fn <= fx + acceptTol * step * slope) {
        accepted = true;
        break;
      }
      step *= shrink;
    }
    if (!accepted) {
      if (resets++ > 2) {
        converged = true; // no further decrease possible from here
        break;
      }
      B = identity(n);
      continue;
    }
    const small = Math.abs(fn - fx) <= relTol * (Math.abs(fx) + relTol);
    const gn = numericalGradient(f, xn, fn, h, counter);
    const s = xn.map((v, i) => v - x[i]);
    const yv = gn.map((v, i) => v - g[i]);
    x = xn;
    fx = fn;
    g = gn;
    if (small) {
      converged = true;
      break;
    }
    let sy = 0;
    for (let i = 0; i < n; i++) sy += s[i] * yv[i];
    if (sy > 1e-12) {
      const By = new Array<number>(n).fill(0);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) By[i] += B[i][j] * yv[j];
      let yBy = 0;
      for (let i = 0; i < n; i++) yBy += yv[i] * By[i];
      const c = (1 + yBy / sy) / sy;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          B[i][j] += c * s[i] * s[j] - (By[i] * s[j] + s[i] * By[j]) / sy;
        }
      }
    } else {
      B = identity(n);
    }
  }
  return { x, value: fx, converged, iterations: iter, evaluations: counter.n };
}

/**
 * BFGS first; Nelder–Mead only when BFGS ends on a non-finite value. A BFGS run that stops at
 * its iteration limit is kept (as R's optim does): near-flat likelihood ridges are common for
 * over-parameterised ARMA models, and a slow polish there changes neither AICc nor forecasts much.
 */
export function minimise(f: Objective, x0: number[], options: OptimOptions = {}): OptimResult {
  const r = bfgs(f, x0, options);
  if (Number.isFinite(r.value)) return r;
  const start = Number.isFinite(r.value) ? r.x : x0;
  const nm = nelderMeadFallback(f, start, options.relTol);
  const better = Number.isFinite(nm.value) && (!Number.isFinite(r.value) || nm.value <= r.value) ? nm : r;
  return { ...better, converged: nm.converged || r.converged, evaluations: r.evaluations + nm.evaluations };
}

/** The shared Nelder–Mead from a start, its simplex steps scaled to the coordinates (0.1 × max(1, |x|)). */
function nelderMeadFallback(f: Objective, x0: number[], relTol = 1e-8): OptimResult {
  if (x0.length === 0) {
    const value = f([]);
    return { x: [], value, converged: true, iterations: 0, evaluations: 1 };
  }
  const r = nelderMead(f, x0, { step: x0.map((v) => (v !== 0 ? 0.1 * Math.max(1, Math.abs(v)) : 0.1)), reltol: relTol });
  // The shared minimiser maps non-finite values to MAX_VALUE; report those as not finite.
  return { x: r.x, value: r.f === Number.MAX_VALUE ? Number.POSITIVE_INFINITY : r.f, converged: r.converged, iterations: r.evals, evaluations: r.evals };
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}
