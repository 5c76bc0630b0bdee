import type { OptimOptions, OptimResult } from './optim-types.js';

export type Residuals = (x: number[]) => Float64Array | null;

/**
 * Levenberg–Marquardt for min ||r(x)||² (Levenberg 1944; Marquardt 1963; Moré 1978's
 * diagonal scaling), with a forward-difference Jacobian. Both ARIMA objectives are sums of
 * squares: the CSS residuals, and for the exact likelihood the standardised innovations scaled
 * by (Π F_t)^{1/2n}, since the concentrated likelihood is monotone in Σ v_t²/F_t · (Π F_t)^{1/n}
 * (as in Mélard 1984 / AS 197). Gauss–Newton steps converge in a handful of iterations where
 * BFGS needs dozens, each iteration costing p + q + 1 evaluations.
 */
export function levenbergMarquardt(r: Residuals, x0: number[], options: OptimOptions = {}): OptimResult {
  const k = x0.length;
  const maxIter = options.maxIter ?? 50;
  const relTol = options.relTol ?? 1e-8;
  let evaluations = 0;
  const ss = (v: Float64Array | null): number => {
    if (!v) return Infinity;
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i] * v[i];
    return Number.isFinite(s) ? s : Infinity;
  };
  let x = x0.slice();
  let res = r(x);
  evaluations++;
  let f = ss(res);
  if (!Number.isFinite(f) || k === 0 || !res) return { x, value: f, converged: k === 0 && Number.isFinite(f), iterations: 0, evaluations };
  let lambda = 1e-3;
  let converged = false;
  let iter = 0;
  while (iter < maxIter) {
    iter++;
    const m = res.length;
    const J: Float64Array[] = [];
    for (let j = 0; j < k; j++) {
      const h = 1e-6 * Math.max(1, Math.abs(x[j]));
      const xp = x.slice();
      xp[j] += h;
      let rp = r(xp);
      evaluations++;
      let sign = 1;
      if (!rp || ss(rp) === Infinity) {
        xp[j] = x[j] - h;
        rp = r(xp);
        evaluations++;
        sign = -1;
      }
      const col = new Float64Array(m);
      if (rp) for (let i = 0; i < m; i++) col[i] = (sign * (rp[i] - res[i])) / h;
      J.push(col);
    }
    const A: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    const g = new Array<number>(k).fill(0);
    for (let a = 0; a < k; a++) {
      const ja = J[a];
      let s = 0;
      for (let i = 0; i < m; i++) s += ja[i] * res[i];
      g[a] = s;
      for (let b = a; b < k; b++) {
        const jb = J[b];
        let t = 0;
        for (let i = 0; i < m; i++) t += ja[i] * jb[i];
        A[a][b] = A[b][a] = t;
      }
    }
    let accepted = false;
    let fn = f;
    while (lambda < 1e12) {
      const M = A.map((row, i) => row.map((v, j) => (i === j ? v + lambda * Math.max(v, 1e-12) : v)));
      const delta = choleskySolve(M, g.map((v) => -v));
      if (delta) {
        const xn = x.map((v, i) => v + delta[i]);
        const rn = r(xn);
        evaluations++;
        fn = ss(rn);
        if (rn && fn < f) {
          const rel = (f - fn) / Math.max(f, 1e-300);
          x = xn;
          res = rn;
          f = fn;
          lambda = Math.max(lambda / 10, 1e-12);
          accepted = true;
          if (rel <= relTol) converged = true;
          break;
        }
      }
      lambda *= 10;
    }
    if (!accepted) {
      converged = true; // no descent at any damping: a (local) minimum to working precision
      break;
    }
    if (converged) break;
  }
  return { x, value: f, converged, iterations: iter, evaluations };
}

function choleskySolve(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const L: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  }
  const z = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * z[k];
    z[i] = s / L[i][i];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= L[k][i] * x[k];
    x[i] = s / L[i][i];
  }
  return x;
}
