/** Smooth maps between an unconstrained value and an open interval, for minimising over bounded parameters. */
/** Logistic map of an unconstrained u onto the open interval (lo, hi). */
export function toInterval(u: number, lo: number, hi: number): number {
  return lo + (hi - lo) / (1 + Math.exp(-u));
}

/** Inverse of toInterval for a value strictly inside (lo, hi). */
export function fromInterval(x: number, lo: number, hi: number): number {
  const p = Math.min(1 - 1e-9, Math.max(1e-9, (x - lo) / (hi - lo)));
  return Math.log(p / (1 - p));
}
