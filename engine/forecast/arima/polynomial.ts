/**
 * Lag-polynomial helpers for ARIMA models. Conventions follow R's `stats::arima`:
 * AR polynomial 1 − φ1·B − … − φp·B^p, MA polynomial 1 + θ1·B + … + θq·B^q.
 */

/**
 * Map unconstrained reals to the coefficients of a stationary AR polynomial through partial
 * autocorrelations: r_j = tanh(u_j), then the Durbin–Levinson recursion (Barndorff-Nielsen &
 * Schou 1973; Jones 1980; Monahan 1984). Every u gives all roots outside the unit circle,
 * so the optimiser never sees a non-stationary model.
 */
export function pacfToAr(u: ArrayLike<number>, start: number, p: number): number[] {
  const phi = new Array<number>(p).fill(0);
  const prev = new Array<number>(p).fill(0);
  for (let j = 0; j < p; j++) {
    const a = Math.tanh(u[start + j]);
    for (let k = 0; k < j; k++) prev[k] = phi[k];
    // φ_k^(j) = φ_k^(j−1) − r_j · φ_{j−k}^(j−1)
    for (let k = 0; k < j; k++) phi[k] = prev[k] - a * prev[j - 1 - k];
    phi[j] = a;
  }
  return phi;
}

/**
 * Inverse of `pacfToAr` (the Schur–Cohn step-down recursion). Returns null when the polynomial
 * is not stationary (some partial autocorrelation has |r| ≥ 1).
 */
export function arToPacf(phi: readonly number[]): number[] | null {
  const p = phi.length;
  let cur = phi.slice();
  const u = new Array<number>(p).fill(0);
  for (let j = p - 1; j >= 0; j--) {
    const a = cur[j];
    if (!(Math.abs(a) < 1)) return null;
    u[j] = Math.atanh(a);
    const den = 1 - a * a;
    const next = new Array<number>(j);
    for (let k = 0; k < j; k++) next[k] = (cur[k] + a * cur[j - 1 - k]) / den;
    cur = next;
  }
  return u;
}

/**
 * True when all roots of 1 − Σ φ_i z^i have modulus > `margin` (margin 1 = stationarity).
 * Substituting z = margin·w reduces this to the stationarity of φ_i·margin^i. Used with
 * margin 1.01 as forecast::auto.arima's near-unit-root rejection (Hyndman & Khandakar 2008).
 */
export function arRootsOutside(phi: readonly number[], margin = 1): boolean {
  let last = phi.length;
  while (last > 0 && phi[last - 1] === 0) last--;
  if (last === 0) return true;
  const scaled = new Array<number>(last);
  let f = 1;
  for (let i = 0; i < last; i++) {
    f *= margin;
    scaled[i] = phi[i] * f;
  }
  return arToPacf(scaled) !== null;
}

/** Same test for an MA polynomial 1 + Σ θ_i z^i (invertibility when margin = 1). */
export function maRootsOutside(theta: readonly number[], margin = 1): boolean {
  return arRootsOutside(
    theta.map((t) => -t),
    margin,
  );
}

/** Product of two polynomials given by full coefficient arrays (c[0] is the constant). */
export function polyMul(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  for (let i = 0; i < a.length; i++) {
    if (a[i] === 0) continue;
    for (let j = 0; j < b.length; j++) out[i + j] += a[i] * b[j];
  }
  return out;
}

/**
 * Multiplicative seasonal expansion: AR (1 − Σφ B^i)(1 − ΣΦ B^{im}) and MA (1 + Σθ B^i)(1 + ΣΘ B^{im}),
 * returned in the model's sign convention (phi for the AR side, theta for the MA side).
 */
export function expandSeasonal(
  ar: readonly number[],
  ma: readonly number[],
  sar: readonly number[],
  sma: readonly number[],
  m: number,
): { phi: number[]; theta: number[] } {
  const arPoly = [1, ...ar.map((v) => -v)];
  const maPoly = [1, ...ma];
  const sarPoly = new Array<number>(sar.length * m + 1).fill(0);
  sarPoly[0] = 1;
  sar.forEach((v, i) => (sarPoly[(i + 1) * m] = -v));
  const smaPoly = new Array<number>(sma.length * m + 1).fill(0);
  smaPoly[0] = 1;
  sma.forEach((v, i) => (smaPoly[(i + 1) * m] = v));
  const fullAr = polyMul(arPoly, sarPoly);
  const fullMa = polyMul(maPoly, smaPoly);
  return { phi: fullAr.slice(1).map((v) => -v), theta: fullMa.slice(1) };
}

/** Differencing polynomial (1 − B)^d (1 − B^m)^D as full coefficients. */
export function differencingPoly(d: number, D: number, m: number): number[] {
  let poly = [1];
  for (let i = 0; i < d; i++) poly = polyMul(poly, [1, -1]);
  for (let i = 0; i < D; i++) {
    const s = new Array<number>(m + 1).fill(0);
    s[0] = 1;
    s[m] = -1;
    poly = polyMul(poly, s);
  }
  return poly;
}

/** Apply the differencing polynomial: output has length n − (len(poly) − 1). */
export function applyDifference(x: ArrayLike<number>, poly: readonly number[]): Float64Array {
  const lag = poly.length - 1;
  const n = x.length;
  const out = new Float64Array(Math.max(0, n - lag));
  for (let t = lag; t < n; t++) {
    let s = 0;
    for (let i = 0; i <= lag; i++) if (poly[i] !== 0) s += poly[i] * x[t - i];
    out[t - lag] = s;
  }
  return out;
}

/**
 * ψ-weights of the (possibly non-stationary) model φ(B)·Δ(B)·y = θ(B)·ε, with ψ_0 = 1:
 * the h-step forecast error variance is σ² Σ_{j<h} ψ_j² (Box, Jenkins & Reinsel, ch. 5).
 */
export function psiWeights(phiFull: readonly number[], thetaFull: readonly number[], h: number): number[] {
  const psi = new Array<number>(h).fill(0);
  psi[0] = 1;
  for (let j = 1; j < h; j++) {
    let s = j <= thetaFull.length ? thetaFull[j - 1] : 0;
    const lim = Math.min(j, phiFull.length);
    for (let i = 1; i <= lim; i++) s += phiFull[i - 1] * psi[j - i];
    psi[j] = s;
  }
  return psi;
}
