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
