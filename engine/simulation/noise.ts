/**
 * Realised weekly demand around the truth's expected demand, with common random numbers: the
 * draw of a candidate in a calendar week depends only on (seed, candidate, week), so every
 * policy compared meets the same demand shocks, and a slightly different expected demand (e.g.
 * less cannibalisation) moves the draw monotonically instead of re-rolling it.
 *
 * Negative binomial as a gamma-Poisson mixture (variance = mean + mean² / shape), as the
 * synthetic generator draws its sales (data/synthetic: shape 12): a gamma(shape, 1/shape) demand
 * shock, then a Poisson count by inversion of one uniform.
 */
import { gammaDraw, mulberry32, qnorm } from '../math/index.js';

/** FNV-1a of the key: a 32-bit seed per (seed, candidate, week). */
function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function normal(rng: () => number): number {
  // Box-Muller; 1 - u keeps the log finite.
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** The Poisson(lambda) count at probability u (inversion; normal approximation above 500). */
function poissonAt(lambda: number, u: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 500) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * qnorm(Math.min(1 - 1e-12, Math.max(1e-12, u)))));
  let k = 0;
  let p = Math.exp(-lambda);
  let cdf = p;
  while (u > cdf && k < 100_000) {
    k += 1;
    p *= lambda / k;
    cdf += p;
  }
  return k;
}

export interface DemandNoise {
  seed: number;
  /** Negative-binomial shape (variance = mean + mean² / shape); Infinity = Poisson. */
  shape: number;
}

/** Realised demand of `candidateId` for expected[h] in calendar weeks launchWeek + h. */
export function realiseDemand(expected: readonly number[], candidateId: string, launchWeek: number, noise: DemandNoise): number[] {
  if (!(noise.shape > 0)) throw new RangeError(`realiseDemand: shape must be > 0, got ${noise.shape}`);
  return expected.map((mu, h) => {
    const rng = mulberry32(hashKey(`${noise.seed}|${candidateId}|${launchWeek + h}`));
    const shock = Number.isFinite(noise.shape) ? gammaDraw(noise.shape, 1, () => normal(rng), rng) / noise.shape : 1;
    return poissonAt(Math.max(0, mu) * shock, rng());
  });
}
