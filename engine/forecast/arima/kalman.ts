/**
 * Exact Gaussian likelihood of a stationary ARMA process by the Kalman filter, on Akaike's
 * (1974) Markovian state-space form (Jones 1980, Technometrics 22; Durbin & Koopman 2012, §3.4):
 *
 *   w_t = Z α_t,  α_{t+1} = T α_t + R ε_{t+1},  ε ~ N(0, σ²),  r = max(p, q + 1),
 *   α_t = (w_t, ŵ_{t+1|t}, …, ŵ_{t+r−1|t})  (predictions from the infinite past),
 *   Z = (1, 0, …, 0),  T = [0 | I; φ_r … φ_1],  R = (ψ_0, ψ_1, …, ψ_{r−1}).
 *
 * In this form the stationary state covariance has a closed form in the autocovariances γ and
 * the ψ-weights, Cov(α_i, α_j) = γ(|i−j|) − Σ_{k<min(i,j)} ψ_k ψ_{k+|i−j|}, which costs one
 * (p+1)×(p+1) solve for γ plus O(r²). Harvey's form (R's stats::arima) needs a Lyapunov
 * equation instead; with seasonal orders (r ≈ 2m) that solve dominated the whole estimation.
 * The likelihood is the same (the two forms are linearly equivalent).
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
  /** R = (ψ_0 = 1, ψ_1, …, ψ_{r−1}). */
  R: Float64Array;
  /** Indices k (0-based, lag k + 1) of the non-zero φ: seasonal models are sparse. */
  nz: Int32Array;
}

export function stateSpace(phi: readonly number[], theta: readonly number[]): StateSpace {
  const r = Math.max(phi.length, theta.length + 1, 1);
  const ph = new Float64Array(r);
  phi.forEach((v, i) => (ph[i] = v));
  const R = new Float64Array(r);
  R[0] = 1;
  for (let j = 1; j < r; j++) {
    let s = j <= theta.length ? theta[j - 1] : 0;
    for (let i = 1; i <= Math.min(j, phi.length); i++) s += phi[i - 1] * R[j - i];
    R[j] = s;
  }
  const nz: number[] = [];
  for (let k = 0; k < r; k++) if (ph[k] !== 0) nz.push(k);
  return { r, phi: ph, R, nz: Int32Array.from(nz) };
}

/**
 * Autocovariances γ(0..r−1) of the ARMA process with σ² = 1, from the linear system
 * γ(k) − Σ_j φ_j γ(|k−j|) = Σ_{j≥k} θ_j ψ_{j−k} for k = 0..p, then the same recursion for
 * larger lags (Brockwell & Davis 2016, §3.2.3, "third method"). Null for a non-stationary φ
 * (singular system, or a variance that is not finite and positive).
 */
export function autocovariances(phi: readonly number[], theta: readonly number[], lags: number): Float64Array | null {
  const p = phi.length;
  const q = theta.length;
  const psi = new Float64Array(q + 1);
  psi[0] = 1;
  for (let j = 1; j <= q; j++) {
    let s = theta[j - 1];
    for (let i = 1; i <= Math.min(j, p); i++) s += phi[i - 1] * psi[j - i];
    psi[j] = s;
  }
  const th = (j: number): number => (j === 0 ? 1 : theta[j - 1]);
  const rhs = (k: number): number => {
    let s = 0;
    for (let j = k; j <= q; j++) s += th(j) * psi[j - k];
    return s;
  };
  const gamma = new Float64Array(Math.max(lags, p + 1));
  if (p === 0) {
    for (let k = 0; k < gamma.length; k++) gamma[k] = k <= q ? rhs(k) : 0;
  } else {
    const size = p + 1;
    const A = new Float64Array(size * size);
    const b = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      A[k * size + k] += 1;
      for (let j = 1; j <= p; j++) if (phi[j - 1] !== 0) A[k * size + Math.abs(k - j)] -= phi[j - 1];
      b[k] = rhs(k);
    }
    if (!solveInPlace(A, b, size)) return null;
    for (let k = 0; k < size; k++) gamma[k] = b[k];
    for (let k = size; k < gamma.length; k++) {
      let s = k <= q ? rhs(k) : 0;
      for (let j = 1; j <= p; j++) s += phi[j - 1] * gamma[k - j];
      gamma[k] = s;
    }
  }
  if (!(gamma[0] > 0) || !(gamma[0] < 1e12)) return null;
  return gamma;
}

/** Gaussian elimination with partial pivoting; b is overwritten by the solution. */
function solveInPlace(A: Float64Array, b: Float64Array, n: number): boolean {
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(A[i * n + c]) > Math.abs(A[piv * n + c])) piv = i;
    const pv = A[piv * n + c];
    if (!(Math.abs(pv) > 1e-14)) return false;
    if (piv !== c) {
      for (let j = 0; j < n; j++) {
        const t = A[c * n + j];
        A[c * n + j] = A[piv * n + j];
        A[piv * n + j] = t;
      }
      const t = b[c];
      b[c] = b[piv];
      b[piv] = t;
    }
    for (let i = c + 1; i < n; i++) {
      const f = A[i * n + c] / pv;
      if (f === 0) continue;
      for (let j = c; j < n; j++) A[i * n + j] -= f * A[c * n + j];
      b[i] -= f * b[c];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= A[i * n + j] * b[j];
    b[i] = s / A[i * n + i];
  }
  return true;
}

/**
 * Stationary state covariance P0 (the solution of P = T P T' + R R') in closed form:
 * P_ij = γ(|i−j|) − Σ_{k<min(i,j)} ψ_k ψ_{k+|i−j|}, built by P_{i+1,j+1} = P_ij − ψ_i ψ_j.
 * Returns null for a non-stationary φ.
 */
export function stationaryCovariance(ss: StateSpace, theta?: readonly number[]): Float64Array | null {
  const { r, phi, R } = ss;
  // θ is recovered from ψ when not given: θ_j = ψ_j − Σ_i φ_i ψ_{j−i} (j < r).
  const th = theta ?? Array.from({ length: r - 1 }, (_, j0) => {
    const j = j0 + 1;
    let s = R[j];
    for (let i = 1; i <= j; i++) s -= phi[i - 1] * R[j - i];
    return s;
  });
  let p = r;
  while (p > 0 && phi[p - 1] === 0) p--;
  const gamma = autocovariances(Array.from(phi.subarray(0, p)), th, r);
  if (!gamma) return null;
  const P = new Float64Array(r * r);
  for (let j = 0; j < r; j++) {
    P[j] = gamma[j];
    P[j * r] = gamma[j];
  }
  for (let i = 1; i < r; i++) {
    for (let j = i; j < r; j++) {
      const v = P[(i - 1) * r + (j - 1)] - R[i - 1] * R[j - 1];
      P[i * r + j] = v;
      P[j * r + i] = v;
    }
  }
  return P;
}

export interface FilterOutput {
  /** Σ log F_t. */
  sumLog: number;
  /** Standardised innovations v_t/√F_t per input series. */
  innovations: Float64Array[];
  /** Predicted state a_{n+1|n} per input series (for forecasting). */
  finalState: Float64Array[];
}

/** a ← T a for Akaike's companion form (shift up, last element Σ φ_k a_{r−k}). */
function transition(a: Float64Array, ss: StateSpace): void {
  const { r, phi, nz } = ss;
  let last = 0;
  for (let idx = 0; idx < nz.length; idx++) {
    const k = nz[idx];
    last += phi[k] * a[r - 1 - k];
  }
  for (let i = 0; i < r - 1; i++) a[i] = a[i + 1];
  a[r - 1] = last;
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
  const { r, phi, R, nz } = ss;
  const P0 = stationaryCovariance(ss, thetaFull);
  if (!P0) return null;
  let P: Float64Array = P0;
  let Pn: Float64Array = new Float64Array(r * r);
  const K = new Float64Array(r);
  const g = new Float64Array(r);
  const ncol = series.length;
  const n = ncol > 0 ? series[0].length : 0;
  const states = series.map(() => new Float64Array(r));
  const innovations = series.map(() => new Float64Array(n));
  let sumLog = 0;
  let steady = false;
  const last = r - 1;
  for (let t = 0; t < n; t++) {
    if (!steady) {
      const F = P[0];
      if (!(F > 0) || !Number.isFinite(F)) return null;
      const sf = Math.sqrt(F);
      sumLog += Math.log(F);
      for (let i = 0; i < r; i++) K[i] = P[i * r] / F;
      for (let c = 0; c < ncol; c++) {
        const a = states[c];
        const v = series[c][t] - a[0];
        innovations[c][t] = v / sf;
        for (let i = 0; i < r; i++) a[i] += K[i] * v;
        transition(a, ss);
      }
      // Q = P − P[:,0] P[0,:] / F (updated covariance, kept implicit); P ← T Q T' + R R'.
      // With T = shift + last row φ: (TQT')_{ij} = Q_{i+1,j+1} for i, j < r − 1, and the last
      // row/column comes from g_j = Σ_k φ_k Q_{r−1−k, j} (row r − 1 of T Q).
      for (let j = 0; j < r; j++) {
        let s = 0;
        for (let idx = 0; idx < nz.length; idx++) {
          const k = nz[idx];
          const row = last - k;
          s += phi[k] * (P[row * r + j] - P[row * r] * K[j]);
        }
        g[j] = s;
      }
      for (let i = 0; i < last; i++) {
        const ki = P[(i + 1) * r];
        for (let j = i; j < last; j++) {
          const v = P[(i + 1) * r + j + 1] - ki * K[j + 1] + R[i] * R[j];
          Pn[i * r + j] = v;
          Pn[j * r + i] = v;
        }
        const v = g[i + 1] + R[i] * R[last];
        Pn[i * r + last] = v;
        Pn[last * r + i] = v;
      }
      let sl = 0;
      for (let idx = 0; idx < nz.length; idx++) {
        const k = nz[idx];
        sl += phi[k] * g[last - k];
      }
      Pn[last * r + last] = sl + R[last] * R[last];
      const tmp = P;
      P = Pn;
      Pn = tmp;
      if (F - 1 < 1e-10) steady = true;
    } else {
      for (let c = 0; c < ncol; c++) {
        const a = states[c];
        const v = series[c][t] - a[0];
        innovations[c][t] = v;
        for (let i = 0; i < r; i++) a[i] += R[i] * v;
        transition(a, ss);
      }
    }
  }
  return { sumLog, innovations, finalState: states };
}

/** Multi-step ARMA point forecasts from the predicted state a_{n+1|n}: ŵ_{n+k} = Z T^{k−1} a. */
export function forecastState(state: Float64Array, phiFull: readonly number[], thetaFull: readonly number[], h: number): number[] {
  const ss = stateSpace(phiFull, thetaFull);
  const a = Float64Array.from(state);
  const out: number[] = [];
  for (let k = 0; k < h; k++) {
    out.push(a[0]);
    transition(a, ss);
  }
  return out;
}
