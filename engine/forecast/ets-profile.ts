/**
 * Concentrated (profile) likelihood for non-seasonal ETS: given α, β, φ the state update
 * x_{t+1} = D·x_t + g·y_t with D = F − g·w' is linear (Hyndman et al. 2008, §3.5 and ch. 5), so
 * the one-step errors are affine in the initial state x_0 = (l_0, b_0):
 *
 *   e_t = ẽ_t − w'Dᵗ·x_0     (ẽ: errors of the filter started from x_0 = 0)
 *
 * and the x_0 minimising Σe² is a 2×2 least-squares solve. This removes the initial states from
 * the numerical search (3 dimensions instead of 5 for a damped trend), which is what makes
 * automatic ETS fast on long weekly series. For multiplicative errors the same x_0 is used (a
 * least-squares start, not the exact maximiser) and the likelihood is evaluated at it.
 */
import type { TrendType, ErrorType } from './ets-core.js';

export interface Profile {
  lik: number;
  l0: number;
  b0: number;
}

export function profileLik(y: readonly number[], error: ErrorType, trend: TrendType, alpha: number, beta: number, phi: number): Profile {
  const n = y.length;
  const hasB = trend !== 'N';
  const ph = trend === 'Ad' ? phi : 1;
  const bt = hasB ? beta : 0;
  // Zero-start filter state.
  let l = 0;
  let b = 0;
  // r = w'Dᵗ as a row vector (r1 for l0, r2 for b0); starts at w' = (1, φ).
  let r1 = 1;
  let r2 = hasB ? ph : 0;
  let see = 0;
  let se1 = 0;
  let se2 = 0;
  let s11 = 0;
  let s12 = 0;
  let s22 = 0;
  for (let t = 0; t < n; t++) {
    const q = l + ph * b;
    const e = y[t] - q;
    see += e * e;
    se1 += e * r1;
    se2 += e * r2;
    s11 += r1 * r1;
    s12 += r1 * r2;
    s22 += r2 * r2;
    l = q + alpha * e;
    b = ph * b + bt * e;
    // r_{t+1} = r_t·D with D = [[1 − α, φ(1 − α)], [−β, φ(1 − β)]].
    const n1 = r1 * (1 - alpha) - r2 * bt;
    const n2 = hasB ? r1 * ph * (1 - alpha) + r2 * ph * (1 - bt) : 0;
    r1 = n1;
    r2 = n2;
  }
  let l0: number;
  let b0 = 0;
  if (hasB) {
    const det = s11 * s22 - s12 * s12;
    if (Math.abs(det) > 1e-12 * s11 * s22) {
      l0 = (se1 * s22 - se2 * s12) / det;
      b0 = (s11 * se2 - s12 * se1) / det;
    } else {
      l0 = se1 / s11;
    }
  } else {
    l0 = se1 / s11;
  }
  if (error === 'A') {
    const sse = Math.max(see - l0 * se1 - b0 * se2, 1e-300);
    return { lik: n * Math.log(sse), l0, b0 };
  }
  // Multiplicative errors: second pass from x_0 for relative errors and log|f|.
  l = l0;
  b = b0;
  let ssr = 0;
  let logf = 0;
  for (let t = 0; t < n; t++) {
    const q = l + ph * b;
    if (!(q > 1e-10)) return { lik: NaN, l0, b0 };
    const e = y[t] - q;
    const rel = e / q;
    ssr += rel * rel;
    logf += Math.log(q);
    l = q + alpha * e;
    b = ph * b + bt * e;
  }
  return { lik: n * Math.log(Math.max(ssr, 1e-300)) + 2 * logf, l0, b0 };
}
