/**
 * The true product life cycle: a ramp-up to a plateau, then exponential decay, with an
 * optional launch-week hype spike (premium phones sell out on day one, then settle).
 */

export interface LaunchCurve {
  /** Plateau weekly units in a region with factor 1 and all multipliers at 1. */
  peak: number;
  rampWeeks: number;
  /** Ramp exponent: > 1 is a slow start, < 1 a fast one. */
  rampShape: number;
  plateauWeeks: number;
  decayRate: number;
  hype: number;
}

/** Multiplier of `peak` at `age` weeks after launch (0 = launch week); 0 before launch. */
export function lifeCycle(curve: LaunchCurve, age: number): number {
  if (age < 0) return 0;
  let level: number;
  if (age < curve.rampWeeks) level = Math.pow((age + 1) / (curve.rampWeeks + 1), curve.rampShape);
  else if (age < curve.rampWeeks + curve.plateauWeeks) level = 1;
  else level = Math.exp(-curve.decayRate * (age - curve.rampWeeks - curve.plateauWeeks));
  return level + curve.hype * Math.exp(-age / 1.5);
}

/** Expected units at `age` for a region with no seasonal, festival or market effects. */
export function curveUnits(curve: LaunchCurve, age: number): number {
  return curve.peak * lifeCycle(curve, age);
}

/** Age after which the product sells under 5 % of its peak and the marketplace delists it. */
export function delistAge(curve: LaunchCurve): number {
  return Math.ceil(curve.rampWeeks + curve.plateauWeeks + Math.log(20) / curve.decayRate);
}

/** Share of a newcomer's full cannibalisation felt `age` weeks after its launch (follows its ramp). */
export function rampShare(curve: LaunchCurve, age: number): number {
  if (age < 0) return 0;
  return Math.min(1, (age + 1) / (curve.rampWeeks + 1));
}
