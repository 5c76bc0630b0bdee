/**
 * Exact Gaussian likelihood of a stationary ARMA process by the Kalman filter on Harvey's
 * state-space form (Harvey 1989, §3.3; Gardner, Harvey & Phillips 1980, Applied Statistics
 * AS 154; Durbin & Koopman 2012, §3.4), the representation R's `stats::arima` uses:
 *
 *   w_t = Z α_t,  α_{t+1} = T α_t + R ε_{t+1},  ε ~ N(0, σ²)
 *   Z = (1, 0, …, 0),  T = [φ | I; 0],  R = (1, θ_1, …, θ_{r−1})',  r = max(p, q + 1).
 *
 * σ² is concentrated out (everything is computed with σ² = 1), so the filter returns
 * standardised innovations v_t/√F_t and Σ log F_t. Several series can be filtered with the same
 * gains at once: that gives the GLS regression of the ARMA errors on regressors for the price of
 * one covariance recursion (Harvey 1989, §3.4; Durbin & Koopman §6.2).
 */

export interface StateSpace {
  r: number;
  /** φ padded to r. */
  phi: Float64Array;
  /** R = (1, θ_1, …, θ_{r−1}). */
  R: Float64Array;
}

export function stateSpace(phi: readonly number[], theta: readonly number[]): StateSpace {
  const r = Math.max(phi.length, theta.length + 1, 1);
  const ph = new Float64Array(r);
  phi.forEach((v, i) => (ph[i] = v));
  const R = new Float64Array(r);
  R[0] = 1;
  theta.forEach((v, i) => (R[i + 1] = v));
  return { r, phi: ph, R };
}

/**
 * Stationary state covariance P0 solving P = T P T' + R R', by the doubling algorithm
 * (Anderson & Moore 1979, §6.7): P ← P + A P A', A ← A², which sums the series Σ T^k R R' T'^k
 * in 2^k terms after k steps. Returns null if the sum diverges (a non-stationary φ).
 */
export function stationaryCovariance(ss: StateSpace): Float64Array | null {
  const { r, phi, R } = ss;
  let P = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) P[i * r + j] = R[i] * R[j];
  let A = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    A[i * r] = phi[i];
    if (i + 1 < r) A[i * r + i + 1] = 1;
  }
  const tmp = new Float64Array(r * r);
  for (let iter = 0; iter < 80; iter++) {
    // tmp = A P
    matmul(A, P, tmp, r);
    // add = tmp A'
    let maxAdd = 0;
    let maxP = 0;
    const next = new Float64Array(r * r);
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < r; j++) {
        let s = 0;
        for (let k = 0; k < r; k++) s += tmp[i * r + k] * A[j * r + k];
        next[i * r + j] = P[i * r + j] + s;
        maxAdd = Math.max(maxAdd, Math.abs(s));
        maxP = Math.max(maxP, Math.abs(next[i * r + j]));
      }
    }
    P = next;
    if (!Number.isFinite(maxP) || maxP > 1e12) return null;
    if (maxAdd <= 1e-13 * maxP) return P;
    const A2 = new Float64Array(r * r);
    matmul(A, A, A2, r);
    A = A2;
  }
  return null;
}

function matmul(a: Float64Array, b: Float64Array, out: Float64Array, r: number): void {
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += a[i * r + k] * b[k * r + j];
      out[i * r + j] = s;
    }
  }
}

export interface FilterOutput {
  /** Σ log F_t. */
  sumLog: number;
  /** Standardised innovations v_t/√F_t per input series. */
  innovations: Float64Array[];
  /** Predicted state a_{n+1|n} per input series (for forecasting). */
  finalState: Float64Array[];
}

/**
 * Run the filter on each series (all with the same φ, θ and gains). Once F_t is within 1e-10
 * of 1 the state is known exactly up to rounding, the gain has converged to R, and the filter
 * reduces to the ARMA innovations recursion (a "steady state" shortcut, as in AS 154), which
 * saves the O(r²) covariance update for the rest of the series.
 */
export function filterArma(
  series: readonly ArrayLike<number>[],
  phiFull: readonly number[],
  thetaFull: readonly number[],
): FilterOutput | null {
  const ss = stateSpace(phiFull, thetaFull);
  const { r, phi, R } = ss;
  const P0 = stationaryCovariance(ss);
  if (!P0) return null;
  const P = P0;
  const Pu = new Float64Array(r * r);
  const TP = new Float64Array(r * r);
  const M = new Float64Array(r);
  const ncol = series.length;
  const n = ncol > 0 ? series[0].length : 0;
  const states = series.map(() => new Float64Array(r));
  const innovations = series.map(() => new Float64Array(n));
  const au = new Float64Array(r);
  let sumLog = 0;
  let steady = false;
  for (let t = 0; t < n; t++) {
    if (!steady) {
      const F = P[0];
      if (!(F > 0) || !Number.isFinite(F)) return null;
      const sf = Math.sqrt(F);
      sumLog += Math.log(F);
      for (let i = 0; i < r; i++) M[i] = P[i * r] / F;
      for (let c = 0; c < ncol; c++) {
        const a = states[c];
        const v = series[c][t] - a[0];
        innovations[c][t] = v / sf;
        for (let i = 0; i < r; i++) au[i] = a[i] + M[i] * v;
        // a ← T a_upd (companion structure)
        for (let i = 0; i < r; i++) a[i] = phi[i] * au[0] + (i + 1 < r ? au[i + 1] : 0);
      }
      // P_upd = P − P[:,0] P[0,:] / F
      for (let i = 0; i < r; i++) {
        const pi0 = P[i * r];
        for (let j = 0; j < r; j++) Pu[i * r + j] = P[i * r + j] - (pi0 * P[j]) / F;
      }
      // TP = T P_upd;  P = TP T' + R R'
      for (let i = 0; i < r; i++) {
        for (let j = 0; j < r; j++) {
          TP[i * r + j] = phi[i] * Pu[j] + (i + 1 < r ? Pu[(i + 1) * r + j] : 0);
        }
      }
      for (let i = 0; i < r; i++) {
        for (let j = 0; j < r; j++) {
          P[i * r + j] = TP[i * r] * phi[j] + (j + 1 < r ? TP[i * r + j + 1] : 0) + R[i] * R[j];
        }
      }
      if (F - 1 < 1e-10) steady = true;
    } else {
      for (let c = 0; c < ncol; c++) {
        const a = states[c];
        const v = series[c][t] - a[0];
        innovations[c][t] = v;
        const a0 = a[0] + v; // = w_t: with gain R, the updated first state equals the observation
        for (let i = 0; i < r; i++) au[i] = a[i] + R[i] * v;
        au[0] = a0;
        for (let i = 0; i < r; i++) a[i] = phi[i] * au[0] + (i + 1 < r ? au[i + 1] : 0);
      }
    }
  }
  return { sumLog, innovations, finalState: states };
}

/** Multi-step ARMA point forecasts from the predicted state a_{n+1|n}: ŵ_{n+k} = Z T^{k−1} a. */
export function forecastState(state: Float64Array, phiFull: readonly number[], thetaFull: readonly number[], h: number): number[] {
  const { r, phi } = stateSpace(phiFull, thetaFull);
  const a = Float64Array.from(state);
  const out: number[] = [];
  const nx = new Float64Array(r);
  for (let k = 0; k < h; k++) {
    out.push(a[0]);
    for (let i = 0; i < r; i++) nx[i] = phi[i] * a[0] + (i + 1 < r ? a[i + 1] : 0);
    a.set(nx);
  }
  return out;
}
