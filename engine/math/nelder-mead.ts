/**
 * Nelder–Mead simplex minimiser (Nelder & Mead 1965), unconstrained: callers map bounded
 * parameters through smooth transforms first. Standard coefficients (reflection 1, expansion 2,
 * contraction 0.5, shrink 0.5); stops when the spread of function values across the simplex
 * falls below `reltol` relative to the best value (the same test as R's optim), or at `maxEval`.
 */
export interface NelderMeadOptions {
  /** Initial simplex step per coordinate. */
  step: number[];
  reltol?: number;
  maxEval?: number;
}

export interface NelderMeadResult {
  x: number[];
  f: number;
  evals: number;
  /** The simplex's values met the reltol test (false: stopped at maxEval). */
  converged: boolean;
}

export function nelderMead(fn: (x: number[]) => number, x0: number[], opts: NelderMeadOptions): NelderMeadResult {
  const n = x0.length;
  const reltol = opts.reltol ?? 1e-8;
  const maxEval = opts.maxEval ?? 200 * n + 200;
  let evals = 0;
  const f = (x: number[]): number => {
    evals++;
    const v = fn(x);
    return Number.isFinite(v) ? v : Number.MAX_VALUE;
  };

  const pts: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const p = x0.slice();
    p[i] += opts.step[i] === 0 ? 0.1 : opts.step[i];
    pts.push(p);
  }
  const vals = pts.map(f);
  const order = pts.map((_, i) => i);
  const centroid = new Array<number>(n);
  let converged = false;

  for (;;) {
    order.sort((a, b) => vals[a] - vals[b]);
    const best = order[0];
    const worst = order[n];
    const secondWorst = order[n - 1];
    if (Math.abs(vals[worst] - vals[best]) <= reltol * (Math.abs(vals[best]) + reltol)) {
      converged = true;
      break;
    }
    if (evals >= maxEval) break;

    centroid.fill(0);
    for (let k = 0; k < n; k++) {
      const p = pts[order[k]];
      for (let j = 0; j < n; j++) centroid[j] += p[j] / n;
    }
    const w = pts[worst];
    const reflect = centroid.map((c, j) => c + (c - w[j]));
    const fr = f(reflect);
    if (fr < vals[best]) {
      const expand = centroid.map((c, j) => c + 2 * (c - w[j]));
      const fe = f(expand);
      if (fe < fr) {
        pts[worst] = expand;
        vals[worst] = fe;
      } else {
        pts[worst] = reflect;
        vals[worst] = fr;
      }
      continue;
    }
    if (fr < vals[secondWorst]) {
      pts[worst] = reflect;
      vals[worst] = fr;
      continue;
    }
    // Contract towards the better of the worst point and its reflection.
    const outside = fr < vals[worst];
    const contract = outside
      ? centroid.map((c, j) => c + 0.5 * (reflect[j] - c))
      : centroid.map((c, j) => c + 0.5 * (w[j] - c));
    const fc = f(contract);
    if (fc < Math.min(fr, vals[worst])) {
      pts[worst] = contract;
      vals[worst] = fc;
      continue;
    }
    // Shrink everything towards the best point.
    const b = pts[best];
    for (let k = 1; k <= n; k++) {
      const i = order[k];
      pts[i] = pts[i].map((v, j) => b[j] + 0.5 * (v - b[j]));
      vals[i] = f(pts[i]);
    }
  }
  let bi = 0;
  for (let i = 1; i <= n; i++) if (vals[i] < vals[bi]) bi = i;
  return { x: pts[bi], f: vals[bi], evals, converged };
}
