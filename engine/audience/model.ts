/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS) on standardised
 * features: few features, tens of thousands of weighted rows, converges in ~10 iterations.
 */

export interface LogisticModel {
  names: readonly string[];
  mean: Float64Array;
  scale: Float64Array;
  /** Weights on standardised features. */
  weights: Float64Array;
  intercept: number;
}

export interface LogisticData {
  /** Row-major, `d` per row. */
  X: Float64Array;
  y: Uint8Array;
  /** Row weights (e.g. inverse negative-sampling rate). */
  w: Float64Array;
  d: number;
}

export function fitLogistic(data: LogisticData, names: readonly string[], l2: number, iterations = 25): LogisticModel {
  const { X, y, w, d } = data;
  const n = y.length;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  let sw = 0;
  for (let r = 0; r < n; r++) {
    sw += w[r];
    for (let j = 0; j < d; j++) mean[j] += w[r] * X[r * d + j];
  }
  for (let j = 0; j < d; j++) mean[j] /= sw;
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) scale[j] += w[r] * (X[r * d + j] - mean[j]) ** 2;
  for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j] / sw) || 1;
  const Z = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) Z[r * d + j] = (X[r * d + j] - mean[j]) / scale[j];

  // beta[0] is the intercept (not penalised); beta[1..d] the weights.
  const D = d + 1;
  const beta = new Float64Array(D);
  let sy = 0;
  for (let r = 0; r < n; r++) sy += w[r] * y[r];
  const base = Math.min(Math.max(sy / sw, 1e-6), 1 - 1e-6);
  beta[0] = Math.log(base / (1 - base));
  // The penalty is per unit of total weight, so l2 means the same at any sample size.
  const lam = l2 * sw;
  for (let it = 0; it < iterations; it++) {
    const g = new Float64Array(D);
    const H = new Float64Array(D * D);
    for (let r = 0; r < n; r++) {
      let eta = beta[0];
      const o = r * d;
      for (let j = 0; j < d; j++) eta += beta[j + 1] * Z[o + j];
      const p = 1 / (1 + Math.exp(-eta));
      const gr = w[r] * (y[r] - p);
      const hr = w[r] * p * (1 - p);
      g[0] += gr;
      H[0] += hr;
      for (let j = 0; j < d; j++) {
        const zj = Z[o + j];
        const hz = hr * zj;
        g[j + 1] += gr * zj;
        H[j + 1] += hz;
        // The hot loop (rows × d²/2): row offset and hr · zj hoisted; same products, same order.
        const base = (j + 1) * D + 1;
        for (let k = 0; k <= j; k++) H[base + k] += hz * Z[o + k];
      }
    }
    for (let j = 1; j < D; j++) {
      H[j * D] = H[j];
      for (let k = 1; k < j; k++) H[k * D + j] = H[j * D + k];
      g[j] -= lam * beta[j];
      H[j * D + j] += lam;
    }
    const step = solveSpd(H, g, D);
    let maxStep = 0;
    for (let j = 0; j < D; j++) {
      beta[j] += step[j];
      maxStep = Math.max(maxStep, Math.abs(step[j]));
    }
    // Newton converges quadratically: after a step below 1e-4 the next would be ~1e-8, so
    // stopping here saves an iteration (a seventh of the fit); on audience-dev no weight moves
    // by more than 1e-9 and no audience changes.
    if (maxStep < 1e-4) break;
  }
  return { names, mean, scale, weights: beta.slice(1), intercept: beta[0] };
}

/** Linear predictor (logit) of one row given raw features. */
export function logit(m: LogisticModel, X: Float64Array, offset: number): number {
  let eta = m.intercept;
  const d = m.weights.length;
  for (let j = 0; j < d; j++) eta += (m.weights[j] * (X[offset + j] - m.mean[j])) / m.scale[j];
  return eta;
}

/** Solves A x = b for a symmetric positive definite A (Cholesky), with a small ridge if needed. */
function solveSpd(A: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let ridge = 0; ; ridge = ridge === 0 ? 1e-9 : ridge * 100) {
    const L = new Float64Array(n * n);
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = A[i * n + j] + (i === j ? ridge * (1 + A[i * n + i]) : 0);
        for (let k = 0; k < j; k++) sum -= L[i * n + k] * L[j * n + k];
        if (i === j) {
          if (sum <= 0) ok = false;
          else L[i * n + i] = Math.sqrt(sum);
        } else L[i * n + j] = sum / L[j * n + j];
      }
    }
    if (!ok) {
      if (ridge > 1) throw new Error('logistic fit: singular Hessian');
      continue;
    }
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let sum = b[i];
      for (let k = 0; k < i; k++) sum -= L[i * n + k] * z[k];
      z[i] = sum / L[i * n + i];
    }
    const x = new Float64Array(n);
    for (let i = n - 1; i >= 0; i--) {
      let sum = z[i];
      for (let k = i + 1; k < n; k++) sum -= L[k * n + i] * x[k];
      x[i] = sum / L[i * n + i];
    }
    return x;
  }
}
