/**
 * mulberry32 (Tommy Ettinger): a small seeded PRNG with a 32-bit state, uniform in [0, 1). The one
 * implementation behind LSTM initialisation, the ETS interval simulation, the planner's scenario
 * generator and the synthetic marketplace; tests and generated data depend on its exact sequence,
 * so do not change it.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Gamma(shape, scale) by Marsaglia & Tsang (2000), "A simple method for generating gamma
 * variables"; shape < 1 by the boost Gamma(a) = Gamma(a + 1) · U^(1/a). The caller supplies its
 * standard normal and uniform [0, 1) sources, so each keeps its own random stream (the synthetic
 * generator's cached Box–Muller pair, the KPI simulator's per-week generators) draw for draw.
 */
export function gammaDraw(shape: number, scale: number, normal: () => number, uniform: () => number): number {
  if (shape < 1) return gammaDraw(shape + 1, scale, normal, uniform) * Math.pow(1 - uniform(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - uniform();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
  }
}
