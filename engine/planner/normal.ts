/**
 * Standard normal helpers used by the newsvendor and the plan intervals. The density, cdf and
 * quantile are the shared ones of engine/math/normal.ts (R's algorithms, ~1e-16); this module adds
 * the planner's loss function and expected sales, and keeps its contract that a probability
 * outside [0, 1] is an error.
 */
import { dnorm, pnorm, qnorm } from '../math/index.js';

export { dnorm as normalPdf, pnorm as normalCdf };

/** Inverse standard normal cdf for p in [0, 1] (-Infinity at 0, Infinity at 1). */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  return qnorm(p);
}

/** Standard normal loss E[(Z - z)+] = pdf(z) - z (1 - cdf(z)). */
export function normalLoss(z: number): number {
  return dnorm(z) - z * (1 - pnorm(z));
}

/** E[min(q, D)] for D ~ N(mu, sigma^2) truncated at nothing (negative demand is rare by design). */
export function expectedSalesNormal(q: number, mu: number, sigma: number): number {
  if (q <= 0) return 0;
  if (sigma <= 0) return Math.min(q, Math.max(mu, 0));
  const s = mu - sigma * normalLoss((q - mu) / sigma);
  return Math.min(q, Math.max(0, s));
}
