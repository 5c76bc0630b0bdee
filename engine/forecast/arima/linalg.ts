/**
 * Small dense least-squares kernel shared by the ARIMA regression step and the market-trend
 * regression. Columns are orthogonalised by modified Gram–Schmidt with one re-orthogonalisation
 * pass ("twice is enough", Giraud et al. 2005), which is as accurate as Householder QR for the
 * well-scaled designs used here and drops aliased columns the way R's `lm` does (pivoting them out).
 */

export interface LeastSquaresResult {
  /** Coefficients, 0 for columns dropped as aliased. */
  beta: number[];
  /** Which columns were kept (false = aliased with earlier columns). */
  kept: boolean[];
  /** Residual sum of squares. */
  rss: number;
  /** Number of kept columns. */
  rank: number;
  /** (X'X)^{-1} on kept columns (rows/cols of dropped columns are 0), for standard errors. */
  xtxInv: number[][];
}

/**
 * Solve min ||y − Xβ|| where X is given by columns. A column whose norm after projection falls
 * below `tol` × its original norm is treated as aliased and dropped.
 */
export function leastSquares(
  columns: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  options: { tol?: number; wantInverse?: boolean } = {},
): LeastSquaresResult {
  const tol = options.tol ?? 1e-7;
  const k = columns.length;
  const n = y.length;
  const q: Float64Array[] = [];
  const keptIdx: number[] = [];
  const kept = new Array<boolean>(k).fill(false);
  // R (upper triangular) for kept columns, rank × rank.
  const R: number[][] = [];
  for (let j = 0; j < k; j++) {
    const v = Float64Array.from(columns[j] as ArrayLike<number>);
    let norm0 = 0;
    for (let t = 0; t < n; t++) norm0 += v[t] * v[t];
    norm0 = Math.sqrt(norm0);
    if (!(norm0 > 0) || !Number.isFinite(norm0)) continue;
    const rcol = new Array<number>(q.length + 1).fill(0);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < q.length; i++) {
        const qi = q[i];
        let dot = 0;
        for (let t = 0; t < n; t++) dot += qi[t] * v[t];
        for (let t = 0; t < n; t++) v[t] -= dot * qi[t];
        rcol[i] += dot;
      }
    }
    let norm = 0;
    for (let t = 0; t < n; t++) norm += v[t] * v[t];
    norm = Math.sqrt(norm);
    if (norm <= tol * norm0) continue;
    for (let t = 0; t < n; t++) v[t] /= norm;
    rcol[q.length] = norm;
    q.push(v);
    R.push(rcol);
    keptIdx.push(j);
    kept[j] = true;
  }
  const rank = q.length;
  // qty = Q'y, residual = y − Q Q'y (also orthogonalised twice for accuracy).
  const res = Float64Array.from(y as ArrayLike<number>);
  const qty = new Array<number>(rank).fill(0);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < rank; i++) {
      const qi = q[i];
      let dot = 0;
      for (let t = 0; t < n; t++) dot += qi[t] * res[t];
      for (let t = 0; t < n; t++) res[t] -= dot * qi[t];
      qty[i] += dot;
    }
  }
  let rss = 0;
  for (let t = 0; t < n; t++) rss += res[t] * res[t];
  // Back-substitution R b = Q'y; R[j][i] holds entry (i, j) of the triangular factor.
  const b = new Array<number>(rank).fill(0);
  for (let i = rank - 1; i >= 0; i--) {
    let s = qty[i];
    for (let j = i + 1; j < rank; j++) s -= R[j][i] * b[j];
    b[i] = s / R[i][i];
  }
  const beta = new Array<number>(k).fill(0);
  keptIdx.forEach((col, i) => (beta[col] = b[i]));
  const xtxInv: number[][] = [];
  if (options.wantInverse) {
    // Rinv (upper triangular), then (X'X)^{-1} = Rinv Rinv'.
    const Rinv: number[][] = Array.from({ length: rank }, () => new Array<number>(rank).fill(0));
    for (let c = 0; c < rank; c++) {
      Rinv[c][c] = 1 / R[c][c];
      for (let i = c - 1; i >= 0; i--) {
        let s = 0;
        for (let j = i + 1; j <= c; j++) s += R[j][i] * Rinv[j][c];
        Rinv[i][c] = -s / R[i][i];
      }
    }
    for (let i = 0; i < k; i++) xtxInv.push(new Array<number>(k).fill(0));
    for (let a = 0; a < rank; a++) {
      for (let c = 0; c < rank; c++) {
        let s = 0;
        for (let j = Math.max(a, c); j < rank; j++) s += Rinv[a][j] * Rinv[c][j];
        xtxInv[keptIdx[a]][keptIdx[c]] = s;
      }
    }
  }
  return { beta, kept, rss, rank, xtxInv };
}
