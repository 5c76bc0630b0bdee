/**
 * Standard normal helpers used by the newsvendor and the plan intervals. The cdf uses the
 * Chebyshev erfc fit of Numerical Recipes (erfcc, fractional error < 1.2e-7); the quantile
 * starts from Acklam's rational approximation and is polished with Newton steps on that cdf,
 * so the two are consistent to ~1e-9.
 */

const INV_SQRT_2PI = 0.3989422804014327;

export function normalPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

const A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

/** Inverse standard normal cdf for p in (0, 1). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  }
  const pLow = 0.02425;
  let x: number;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else if (p <= 1 - pLow) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  for (let i = 0; i < 2; i++) {
    const pdf = normalPdf(x);
    if (pdf < 1e-300) break;
    x -= (normalCdf(x) - p) / pdf;
  }
  return x;
}

/** Standard normal loss E[(Z - z)+] = pdf(z) - z (1 - cdf(z)). */
export function normalLoss(z: number): number {
  return normalPdf(z) - z * (1 - normalCdf(z));
}

/** E[min(q, D)] for D ~ N(mu, sigma^2) truncated at nothing (negative demand is rare by design). */
export function expectedSalesNormal(q: number, mu: number, sigma: number): number {
  if (q <= 0) return 0;
  if (sigma <= 0) return Math.min(q, Math.max(mu, 0));
  const s = mu - sigma * normalLoss((q - mu) / sigma);
  return Math.min(q, Math.max(0, s));
}
