/** Shared shapes of the minimisers in engine/math (BFGS, Levenberg–Marquardt, Nelder–Mead fallback). */
export type Objective = (x: number[]) => number;

export interface OptimOptions {
  maxIter?: number;
  /** Stop when the objective improves by less than relTol·(|f| + relTol). */
  relTol?: number;
  /** Step for the central-difference gradient (R's `ndeps` default is 1e-3). */
  gradStep?: number;
}

export interface OptimResult {
  x: number[];
  value: number;
  converged: boolean;
  iterations: number;
  evaluations: number;
}
