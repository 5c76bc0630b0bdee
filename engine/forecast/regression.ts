/**
 * Market-trend regression: demand on market indicators, price, promotion and calendar
 * features by ridge-regularised least squares (Hoerl & Kennard 1970), λ chosen by generalised
 * cross-validation (Golub, Heath & Wahba 1979) or given.
 *
 * Columns are centred and scaled to unit standard deviation before the penalty, so λ does not
 * depend on units; the intercept is not penalised. The fit itself solves the augmented system
 * [X; √λ I] β = [y; 0] by orthogonalisation (arima/linalg.ts), never the normal equations, so
 * near-collinear designs (price and promotion moving together) stay accurate; λ = 0 is ordinary
 * least squares and reproduces R's lm(). The GCV search uses the eigen-decomposition of the
 * scaled X'X, where every candidate λ costs O(k²).
 *
 * Elasticities: `elasticity: 'at-means'` (default) reports ∂y/∂x · x̄/ȳ for a model in levels;
 * with `elasticity: 'log-log'` the caller has passed log demand and log regressors, and each
 * coefficient is itself the (constant) elasticity.
 */
import { leastSquares } from './arima/linalg.js';
import { fourierColumns } from './arima/fourier.js';
import { ForecastInputError } from './types.js';

export interface RegressionOptions {
  /** One row per observation. */
  X: number[][];
  y: number[];
  names?: string[];
  /** Ridge penalty on the standardised scale; 'gcv' (default) chooses it. 0 = OLS. */
  lambda?: number | 'gcv';
  /** How elasticities are reported (see module doc). */
  elasticity?: 'at-means' | 'log-log';
}

export interface Coefficient {
  name: string;
  estimate: number;
  /** Standard error: σ̂ √diag((X'X+λI)⁻¹X'X(X'X+λI)⁻¹) on the original scale (the OLS formula at λ = 0). */
  se: number;
  /** estimate / se. */
  t: number;
  /** Elasticity of demand with respect to this regressor (NaN for the intercept). */
  elasticity: number;
}

export interface RegressionFit {
  intercept: Coefficient;
  coefficients: Coefficient[];
  lambda: number;
  /** Effective degrees of freedom of the slopes, tr(H) − 1. */
  df: number;
  /** GCV score n·RSS/(n − df − 1)² at the chosen λ. */
  gcv: number;
  /** Residual variance RSS/(n − df − 1). */
  sigma2: number;
  r2: number;
  fitted: number[];
  residuals: number[];
  elasticityMode: 'at-means' | 'log-log';
  /** Predicted demand for new rows (same columns as X). */
  predict(rows: number[][]): number[];
}

/** Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations (Golub & Van Loan §8.5). */
function symmetricEigen(A: number[][]): { values: number[]; vectors: number[][] } {
  const n = A.length;
  const a = A.map((r) => r.slice());
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i][j] * a[i][j];
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: a.map((r, i) => Math.max(0, r[i])), vectors: v };
}

export function ridgeRegression(options: RegressionOptions): RegressionFit {
  const { X, y } = options;
  const n = y.length;
  if (n === 0 || X.length !== n) throw new ForecastInputError(`X has ${X.length} rows, y has ${n} values`);
  const k = X[0]?.length ?? 0;
  if (X.some((r) => r.length !== k || r.some((v) => !Number.isFinite(v))) || y.some((v) => !Number.isFinite(v))) {
    throw new ForecastInputError('regression inputs must be finite, with the same number of columns in every row');
  }
  if (n < 3) throw new ForecastInputError('regression needs at least 3 observations');
  const names = options.names ?? Array.from({ length: k }, (_, j) => `x${j + 1}`);
  const mode = options.elasticity ?? 'at-means';
  const ybar = y.reduce((a, b) => a + b, 0) / n;
  const means = new Array<number>(k).fill(0);
  const sds = new Array<number>(k).fill(0);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) means[j] += X[i][j];
    means[j] /= n;
    for (let i = 0; i < n; i++) sds[j] += (X[i][j] - means[j]) ** 2;
    sds[j] = Math.sqrt(sds[j] / (n - 1));
  }
  // Constant columns carry no information beyond the intercept: scale 1 keeps them at 0.
  const cols = Array.from({ length: k }, (_, j) => Float64Array.from({ length: n }, (_, i) => (sds[j] > 0 ? (X[i][j] - means[j]) / sds[j] : 0)));
  const yc = Float64Array.from(y, (v) => v - ybar);

  // X'X and X'y on the standardised scale, and its eigen-decomposition, for GCV.
  const xtx = Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => dot(cols[a], cols[b])));
  const xty = cols.map((c) => dot(c, yc));
  const eig = symmetricEigen(xtx);
  const vty = eig.vectors[0] ? eig.values.map((_, i) => eig.vectors.reduce((s, row, r) => s + row[i] * xty[r], 0)) : [];
  const yy = dot(yc, yc);
  const gcvAt = (lambda: number): { gcv: number; df: number; rss: number } => {
    // β = V diag(1/(e+λ)) V'X'y; RSS = y'y − 2β'X'y + β'X'Xβ, all in the eigenbasis.
    let df = 0;
    let rss = yy;
    for (let i = 0; i < eig.values.length; i++) {
      const e = eig.values[i];
      if (e + lambda <= 1e-12 * (1 + e)) continue;
      const b = vty[i] / (e + lambda);
      df += e / (e + lambda);
      rss += -2 * b * vty[i] + b * b * e;
    }
    rss = Math.max(rss, 0);
    const denom = n - df - 1;
    return { gcv: denom > 0 ? (n * rss) / (denom * denom) : Infinity, df, rss };
  };
  let lambda: number;
  if (options.lambda === undefined || options.lambda === 'gcv') {
    // Log grid over 12 decades relative to the data scale, then golden-section refinement.
    const scale = Math.max(1e-12, eig.values.reduce((a, b) => a + b, 0) / Math.max(1, k));
    let best = { lambda: 0, gcv: gcvAt(0).gcv };
    for (let e = -8; e <= 4; e += 0.25) {
      const l = scale * 10 ** e;
      const g = gcvAt(l).gcv;
      if (g < best.gcv) best = { lambda: l, gcv: g };
    }
    if (best.lambda > 0) {
      let lo = Math.log(best.lambda) - Math.log(10 ** 0.25);
      let hi = Math.log(best.lambda) + Math.log(10 ** 0.25);
      const phi = (Math.sqrt(5) - 1) / 2;
      for (let it = 0; it < 40; it++) {
        const a = hi - phi * (hi - lo);
        const b = lo + phi * (hi - lo);
        if (gcvAt(Math.exp(a)).gcv < gcvAt(Math.exp(b)).gcv) hi = b;
        else lo = a;
      }
      const l = Math.exp((lo + hi) / 2);
      if (gcvAt(l).gcv < best.gcv) best = { lambda: l, gcv: gcvAt(l).gcv };
    }
    lambda = best.lambda;
  } else {
    if (!(options.lambda >= 0)) throw new ForecastInputError(`lambda must be ≥ 0, got ${options.lambda}`);
    lambda = options.lambda;
  }

  // Stable solve of the augmented system [X; √λ I] β = [y; 0].
  const aug = cols.map((c, j) => {
    const a = new Float64Array(n + k);
    a.set(c);
    a[n + j] = Math.sqrt(lambda);
    return a;
  });
  const yaug = new Float64Array(n + k);
  yaug.set(yc);
  const ls = leastSquares(aug, yaug, { wantInverse: true, tol: 1e-10 });
  const bs = ls.beta;
  // (X'X + λI)^{-1} is ls.xtxInv; Cov(β̂) = σ² W X'X W with W = (X'X + λI)^{-1}.
  const W = ls.xtxInv;
  const fitted = new Array<number>(n);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let f = ybar;
    for (let j = 0; j < k; j++) f += bs[j] * cols[j][i];
    fitted[i] = f;
    rss += (y[i] - f) ** 2;
  }
  const { df, gcv } = gcvAt(lambda);
  const dfRes = n - df - 1;
  const sigma2 = dfRes > 0 ? rss / dfRes : NaN;
  const WXW = Array.from({ length: k }, (_, a) =>
    Array.from({ length: k }, (_, b) => {
      let s = 0;
      for (let c = 0; c < k; c++) for (let d = 0; d < k; d++) s += W[a][c] * xtx[c][d] * W[d][b];
      return s;
    }),
  );
  const beta = bs.map((b, j) => (sds[j] > 0 ? b / sds[j] : 0));
  const cov = WXW.map((row, a) => row.map((v, b) => (sds[a] > 0 && sds[b] > 0 ? (sigma2 * v) / (sds[a] * sds[b]) : 0)));
  const interceptEst = ybar - beta.reduce((s, b, j) => s + b * means[j], 0);
  let interceptVar = sigma2 / n;
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) interceptVar += means[a] * cov[a][b] * means[b];
  const coefficients: Coefficient[] = beta.map((b, j) => {
    const se = Math.sqrt(Math.max(0, cov[j][j]));
    return {
      name: names[j],
      estimate: b,
      se,
      t: b / se,
      elasticity: mode === 'log-log' ? b : (b * means[j]) / ybar,
    };
  });
  const interceptSe = Math.sqrt(interceptVar);
  return {
    intercept: { name: 'intercept', estimate: interceptEst, se: interceptSe, t: interceptEst / interceptSe, elasticity: NaN },
    coefficients,
    lambda,
    df,
    gcv,
    sigma2,
    r2: yy > 0 ? 1 - rss / yy : NaN,
    fitted,
    residuals: y.map((v, i) => v - fitted[i]),
    elasticityMode: mode,
    predict(rows: number[][]): number[] {
      return rows.map((r) => {
        if (r.length !== k) throw new ForecastInputError(`prediction row has ${r.length} columns, model has ${k}`);
        return r.reduce((s, v, j) => s + v * beta[j], interceptEst);
      });
    },
  };
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export interface DesignMatrixOptions {
  /** Week start dates (ISO 'YYYY-MM-DD'), one per row. */
  weeks: string[];
  /** Fourier pairs of the week of year (period 365.25/7 weeks). Default 3. */
  fourierK?: number;
  /** Festival or holiday dummies: name → week start dates on which it is 1. */
  festivals?: Record<string, string[]>;
  /** Linear trend column (weeks since the first row). Default false. */
  trend?: boolean;
  /** Further columns by name (market indicators, price, promotion), one value per row. */
  extra?: Record<string, number[]>;
}

/**
 * Calendar design matrix for weekly demand: Fourier terms of the position in the year
 * (computed from the date, so leap years and 53-week years stay aligned), festival dummies
 * and any extra columns. Rows are in FitOptions.xreg layout, usable as ARIMA `xreg`.
 */
export function designMatrix(options: DesignMatrixOptions): { names: string[]; rows: number[][] } {
  const n = options.weeks.length;
  const K = options.fourierK ?? 3;
  const yearWeeks = 365.25 / 7;
  const times = options.weeks.map((w) => {
    const d = new Date(`${w}T00:00:00Z`);
    if (Number.isNaN(d.getTime())) throw new ForecastInputError(`bad week date '${w}'`);
    const start = Date.UTC(d.getUTCFullYear(), 0, 1);
    return (d.getTime() - start) / (7 * 86_400_000); // weeks since 1 January
  });
  const names: string[] = [];
  const cols: number[][] = [];
  if (options.trend) {
    const t0 = new Date(`${options.weeks[0]}T00:00:00Z`).getTime();
    names.push('trend');
    cols.push(options.weeks.map((w) => (new Date(`${w}T00:00:00Z`).getTime() - t0) / (7 * 86_400_000)));
  }
  for (let k = 1; k <= K; k++) {
    names.push(`sin${k}`, `cos${k}`);
    cols.push(times.map((t) => Math.sin((2 * Math.PI * k * t) / yearWeeks)));
    cols.push(times.map((t) => Math.cos((2 * Math.PI * k * t) / yearWeeks)));
  }
  for (const [name, dates] of Object.entries(options.festivals ?? {})) {
    const set = new Set(dates);
    names.push(name);
    cols.push(options.weeks.map((w) => (set.has(w) ? 1 : 0)));
  }
  for (const [name, values] of Object.entries(options.extra ?? {})) {
    if (values.length !== n) throw new ForecastInputError(`column '${name}' has ${values.length} values, expected ${n}`);
    names.push(name);
    cols.push(values.slice());
  }
  const rows = Array.from({ length: n }, (_, i) => cols.map((c) => c[i]));
  return { names, rows };
}

/** Fourier columns on a plain 1-based time index (re-exported for callers without dates). */
export { fourierColumns };
