/**
 * A freshly loaded native kernel runs a small forward pass (training and inference mode) against
 * a plain-JS LSTM before it is used: a compiler or CPU that produces wrong code then costs a
 * fallback to tfjs ops, not a wrong model. The shape covers the SIMD blocks and their remainders
 * (H 20 = one 16-wide vector + 4, B 7 = one 6-row block + 1). The full forward/gradient match
 * with tf.layers is tested in fast-lstm.test.ts.
 */
import type { NativeLstmModule } from './module.js';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** h_T [B, H] of the LSTM, gate columns [i, f, o, g], in float64. */
export function referenceForward(B: number, T: number, F: number, H: number, x: Float32Array, k: Float32Array, r: Float32Array, b: Float32Array): Float64Array {
  const G = 4 * H;
  const h = new Float64Array(B * H);
  const c = new Float64Array(B * H);
  const z = new Float64Array(G);
  for (let t = 0; t < T; t++) {
    const hNext = new Float64Array(B * H);
    for (let n = 0; n < B; n++) {
      for (let j = 0; j < G; j++) {
        let s = b[j];
        for (let f = 0; f < F; f++) s += x[(n * T + t) * F + f] * k[f * G + j];
        for (let q = 0; q < H; q++) s += h[n * H + q] * r[q * G + j];
        z[j] = s;
      }
      for (let q = 0; q < H; q++) {
        const cv = sigmoid(z[H + q]) * c[n * H + q] + sigmoid(z[q]) * Math.tanh(z[3 * H + q]);
        c[n * H + q] = cv;
        hNext[n * H + q] = sigmoid(z[2 * H + q]) * Math.tanh(cv);
      }
    }
    h.set(hNext);
  }
  return h;
}

/** Throws when the kernel's forward pass disagrees with the plain-JS one by more than 1e-4. */
export function selfCheck(nat: NativeLstmModule): void {
  const [B, T, F, H] = [7, 5, 3, 20];
  const G = 4 * H;
  let seed = 12345;
  const rand = (n: number, scale: number): Float32Array => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      a[i] = ((seed / 2 ** 32) * 2 - 1) * scale;
    }
    return a;
  };
  const x = rand(B * T * F, 1);
  const k = rand(F * G, 0.8);
  const r = rand(H * G, 0.4);
  const b = rand(G, 0.5);
  const want = referenceForward(B, T, F, H, x, k, r, b);
  const hInfer = new Float32Array(B * H);
  nat.forward(B, T, F, H, x, k, r, b, false, hInfer, null, null, null);
  const h = new Float32Array((T + 1) * B * H);
  nat.forward(B, T, F, H, x, k, r, b, true, h, new Float32Array((T + 1) * B * H), new Float32Array(T * B * G), new Float32Array(T * B * H));
  const hTrain = h.subarray(T * B * H);
  let worst = 0;
  for (let i = 0; i < B * H; i++) worst = Math.max(worst, Math.abs(hInfer[i] - want[i]), Math.abs(hTrain[i] - want[i]));
  if (!(worst < 1e-4)) throw new Error(`self-check failed: forward differs from the JS reference by ${worst}`);
}
