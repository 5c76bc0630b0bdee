/** Plain, JSON-safe weight storage: base64 of little-endian Float32 data plus the shape. */

export interface SerializedTensor {
  shape: number[];
  /** base64 of the Float32Array's bytes (little-endian, as on every platform we run on). */
  data: string;
}

export type WeightSet = Record<string, { shape: number[]; data: Float32Array }>;

export function encodeF32(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

export function decodeF32(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  // Copy into a fresh, aligned buffer (Buffer pools are not 4-byte aligned).
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

export function serializeWeights(w: WeightSet): Record<string, SerializedTensor> {
  const out: Record<string, SerializedTensor> = {};
  for (const [k, v] of Object.entries(w)) out[k] = { shape: [...v.shape], data: encodeF32(v.data) };
  return out;
}

export function deserializeWeights(w: Record<string, SerializedTensor>): WeightSet {
  const out: WeightSet = {};
  for (const [k, v] of Object.entries(w)) {
    const data = decodeF32(v.data);
    const size = v.shape.reduce((a, b) => a * b, 1);
    if (data.length !== size) throw new Error(`weight "${k}": ${data.length} values for shape [${v.shape.join(', ')}]`);
    out[k] = { shape: [...v.shape], data };
  }
  return out;
}

export function cloneWeights(w: WeightSet): WeightSet {
  const out: WeightSet = {};
  for (const [k, v] of Object.entries(w)) out[k] = { shape: [...v.shape], data: v.data.slice() };
  return out;
}

/** Mulberry32: small deterministic PRNG for initialisation and shuffling (tests need exact repeats). */
export { mulberry32 as rng } from '../math/index.js';
