/**
 * Derivative-free minimisers for the small, smooth objectives of ARIMA estimation.
 *
 * `bfgs` is a variable-metric method with numerical central-difference gradients and a
 * backtracking (Armijo) line search, following the structure of Nash's algorithm 21
 * (Compact Numerical Methods for Computers, 1990), which R's `optim(method = "BFGS")` uses.
 * `nelderMead` (Nelder & Mead 1965) is the fallback when BFGS cannot make progress
 * (a non-finite objective near the start, or a failed line search from the first step).
 */

export type Objective = (x: number[]) => number;

export interface OptimOptions {
  maxIter?: number;
  /** Stop when the objective improves by less than relTol·(|f| + relTol). */
  relTol?: number;
  /** Step for the central-difference gradient (R's `ndeps` default is 1e-3). */
  gradStep?: number;
}

export interface OptimResult {
  x: number[];
  value: number;
  converged: boolean;
  iterations: number;
  evaluations: number;
}

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

export function nelderMead(f: Objective, x0: number[], options: OptimOptions & { step?: number } = {}): OptimResult {
  const n = x0.length;
  const maxIter = options.maxIter ?? 200 * Math.max(1, n);
  const relTol = options.relTol ?? 1e-8;
  const step = options.step ?? 0.1;
  let evaluations = 0;
  const F = (x: number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  if (n === 0) return { x: [], value: F([]), converged: true, iterations: 0, evaluations };
  const simplex: { x: number[]; f: number }[] = [{ x: x0.slice(), f: F(x0) }];
  for (let i = 0; i < n; i++) {
    const x = x0.slice();
    x[i] += x[i] !== 0 ? step * Math.max(1, Math.abs(x[i])) : step;
    simplex.push({ x, f: F(x) });
  }
  let iter = 0;
  let converged = false;
  while (iter++ < maxIter) {
    simplex.sort((a, b) => a.f - b.f);
    const best = simplex[0];
    const worst = simplex[n];
    if (Number.isFinite(worst.f) && Math.abs(worst.f - best.f) <= relTol * (Math.abs(best.f) + relTol)) {
      converged = true;
      break;
    }
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += simplex[i].x[j] / n;
    const along = (t: number): number[] => centroid.map((c, j) => c + t * (worst.x[j] - c));
    const xr = along(-1);
    const fr = F(xr);
    if (fr < best.f) {
      const xe = along(-2);
      const fe = F(xe);
      simplex[n] = fe < fr ? { x: xe, f: fe } : { x: xr, f: fr };
    } else if (fr < simplex[n - 1].f) {
      simplex[n] = { x: xr, f: fr };
    } else {
      const xc = fr < worst.f ? along(-0.5) : along(0.5);
      const fc = F(xc);
      if (fc < Math.min(fr, worst.f)) simplex[n] = { x: xc, f: fc };
      else {
        for (let i = 1; i <= n; i++) {
          const x = simplex[i].x.map((v, j) => best.x[j] + 0.5 * (v - best.x[j]));
          simplex[i] = { x, f: F(x) };
        }
      }
    }
  }
  simplex.sort((a, b) => a.f - b.f);
  return { x: simplex[0].x, value: simplex[0].f, converged, iterations: iter, evaluations };
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
  const nm = nelderMead(f, start, { relTol: options.relTol });
  const better = Number.isFinite(nm.value) && (!Number.isFinite(r.value) || nm.value <= r.value) ? nm : r;
  return { ...better, converged: nm.converged || r.converged, evaluations: r.evaluations + nm.evaluations };
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

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
