/**
 * Hyper-parameters of the cold-start network, their defaults and the bounds every run is
 * validated against (a scope rule or CLI flag out of range fails before any training).
 */
export interface ColdStartHyper {
  units: number;
  hidden: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Epochs without validation improvement before stopping. */
  patience: number;
  seed: number;
  /** Weight of the mean head's squared error relative to the pinball loss. */
  meanWeight: number;
  /** L2 penalty on dense weights. */
  l2: number;
}

export const DEFAULT_HYPER: ColdStartHyper = {
  units: 16,
  hidden: 32,
  epochs: 60,
  batchSize: 64,
  learningRate: 0.003,
  patience: 10,
  seed: 42,
  meanWeight: 0.25,
  l2: 1e-4,
};

const BOUNDS: Record<keyof ColdStartHyper, [number, number]> = {
  units: [1, 1024],
  hidden: [1, 4096],
  epochs: [1, 100_000],
  batchSize: [1, 65_536],
  learningRate: [1e-7, 1],
  patience: [1, 100_000],
  seed: [0, 2 ** 32 - 1],
  meanWeight: [0, 100],
  l2: [0, 1],
};

export function validateHyper(h: Partial<ColdStartHyper>): ColdStartHyper {
  const out = { ...DEFAULT_HYPER, ...h };
  for (const [k, [lo, hi]] of Object.entries(BOUNDS) as Array<[keyof ColdStartHyper, [number, number]]>) {
    const v = out[k];
    if (!Number.isFinite(v) || v < lo || v > hi) throw new RangeError(`hyper.${k} must be in [${lo}, ${hi}], got ${v}`);
  }
  return out;
}
