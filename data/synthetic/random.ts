/**
 * A small seeded PRNG (mulberry32) with the distributions the generator needs. Independent
 * named streams (`stream(seed, "product:PH-0001")`) keep one entity's draws stable when
 * unrelated parts of the generator change or sizes grow.
 */
import { gammaDraw, mulberry32 } from '../../engine/math/index.js';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  uniform(lo: number, hi: number): number;
  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  normal(mean?: number, sd?: number): number;
  /** Median × exp(sigma·Z): a positive multiplicative noise with median `median`. */
  lognormal(median: number, sigma: number): number;
  /** Log-uniform in [lo, hi]: prices and sizes spread over orders of magnitude. */
  logUniform(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  gamma(shape: number, scale: number): number;
  poisson(lambda: number): number;
  /** Gamma–Poisson (negative binomial) count with the given mean; smaller shape = more overdispersion. */
  negBinomial(mean: number, shape: number): number;
}

/** FNV-1a over the label, mixed with the seed: a 32-bit sub-seed per named stream. */
export function subSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // A final avalanche so nearby seeds give unrelated streams.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

export function createRng(seed: number): Rng {
  // mulberry32: 32-bit state, full period, good enough for simulation.
  const next = mulberry32(seed);
  let spare: number | undefined;
  const standardNormal = (): number => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    // Box–Muller; 1 - next() avoids log(0).
    const u = 1 - next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  const gamma = (shape: number, scale: number): number => gammaDraw(shape, scale, standardNormal, next);
  const poisson = (lambda: number): number => {
    if (!(lambda > 0)) return 0;
    if (lambda > 60) {
      // Normal approximation with continuity correction: plenty for weekly unit counts.
      return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * standardNormal()));
    }
    // Knuth's multiplication method for small means.
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = next();
    while (p > limit) {
      k++;
      p *= next();
    }
    return k;
  };
  const rng: Rng = {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    normal: (mean = 0, sd = 1) => mean + sd * standardNormal(),
    lognormal: (median, sigma) => median * Math.exp(sigma * standardNormal()),
    logUniform: (lo, hi) => Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * next()),
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)];
    },
    gamma,
    poisson,
    negBinomial: (mean, shape) => (mean > 0 ? poisson(gamma(shape, mean / shape)) : 0),
  };
  return rng;
}

/** An independent generator for one named part of the marketplace. */
export function stream(seed: number, label: string): Rng {
  return createRng(subSeed(seed, label));
}
