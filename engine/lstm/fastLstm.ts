/**
 * A single-layer LSTM whose cost is a few large matrix products instead of hundreds of small
 * op dispatches, for the tfjs wasm/cpu backends where dispatch (and wasm's unoptimised slice,
 * concat and tanh kernels) cost more than the arithmetic.
 *
 * - The input projections of all T steps are one matMul ([T·B, F] × [F, 4H]).
 * - The four gates are one matMul per step ([B, H] × [H, 4H]); the backend does the products.
 * - Gate nonlinearities and the cell update run in plain loops over Float32Arrays (one pass
 *   per step, no tensor allocations), and the recurrence has a hand-written backward pass
 *   (BPTT, registered with tf.customGrad): per step one matMul for dh; the weight gradients
 *   of all steps are two matMuls over the stacked gate gradients afterwards.
 *
 * Gate maths follow Hochreiter & Schmidhuber (1997) with a forget gate (Gers et al. 2000), the
 * same as Keras/tfjs-layers `LSTM` with recurrentActivation 'sigmoid' and activation 'tanh'.
 * Internally the gate columns are ordered [i, f, o, g] (the sigmoid gates contiguous);
 * `fromKerasLayout`/`toKerasLayout` convert from tfjs-layers' [i, f, g, o].
 */
import * as tf from '@tensorflow/tfjs';

export interface LstmWeights {
  /** [F, 4H], columns [i, f, o, g]. */
  kernel: tf.Tensor2D;
  /** [H, 4H], columns [i, f, o, g]. */
  recurrent: tf.Tensor2D;
  /** [4H]. */
  bias: tf.Tensor1D;
}

/** Reorders gate blocks along the last axis: Keras [i, f, g, o] → ours [i, f, o, g]. */
export function fromKerasLayout<T extends tf.Tensor>(w: T): T {
  return tf.tidy(() => {
    const [i, f, g, o] = tf.split(w, 4, w.rank - 1);
    return tf.concat([i, f, o, g], w.rank - 1) as T;
  });
}

/** Ours [i, f, o, g] → Keras [i, f, g, o]. */
export function toKerasLayout<T extends tf.Tensor>(w: T): T {
  return tf.tidy(() => {
    const [i, f, o, g] = tf.split(w, 4, w.rank - 1);
    return tf.concat([i, f, g, o], w.rank - 1) as T;
  });
}

/** [rows, cols] × tensor via the backend, result copied out. */
function mm(a: Float32Array, rows: number, cols: number, b: tf.Tensor2D, transposeB = false): Float32Array {
  // Not tf.tidy: tidy walks a returned typed array element by element looking for tensors.
  const at = tf.tensor2d(a, [rows, cols]);
  const p = tf.matMul(at, b, false, transposeB);
  const out = p.dataSync() as Float32Array;
  tf.dispose([at, p]);
  return out;
}

/** Row-major [rows, cols] → [cols, rows]. */
function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

/** [B, T, F] → time-major [T, B, F]. */
function toTimeMajor(x: Float32Array, B: number, T: number, F: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) out.set(x.subarray((b * T + t) * F, (b * T + t + 1) * F), (t * B + b) * F);
  return out;
}

function fromTimeMajor(x: Float32Array, B: number, T: number, F: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) out.set(x.subarray((t * B + b) * F, (t * B + b + 1) * F), (b * T + t) * F);
  return out;
}

/** Everything BPTT needs from the forward pass, time-major. */
interface Trace {
  B: number;
  T: number;
  F: number;
  H: number;
  xt: Float32Array;
  /** Activated gates [T, B, 4H]: σ(i), σ(f), σ(o), tanh(g). */
  act: Float32Array;
  /** Cell states [T + 1, B, H], c[0] = 0. */
  c: Float32Array;
  /** Hidden states [T + 1, B, H], h[0] = 0. */
  h: Float32Array;
  /** tanh(c_t) [T, B, H]. */
  tc: Float32Array;
}

function forward(x: Float32Array, B: number, T: number, F: number, kernel: tf.Tensor2D, recurrent: tf.Tensor2D, bias: Float32Array): Trace {
  const H = recurrent.shape[0];
  const G = 4 * H;
  const xt = toTimeMajor(x, B, T, F);
  // Input projections of all steps in one product.
  const act = mm(xt, T * B, F, kernel).slice();
  const c = new Float32Array((T + 1) * B * H);
  const h = new Float32Array((T + 1) * B * H);
  const tcs = new Float32Array(T * B * H);
  for (let t = 0; t < T; t++) {
    const zr = t === 0 ? undefined : mm(h.subarray(t * B * H, (t + 1) * B * H), B, H, recurrent);
    const base = t * B * G;
    const cPrev = t * B * H;
    const cNext = (t + 1) * B * H;
    for (let b = 0; b < B; b++) {
      const zo = base + b * G;
      const ro = b * G;
      for (let j = 0; j < 3 * H; j++) act[zo + j] = 1 / (1 + Math.exp(-(act[zo + j] + bias[j] + (zr ? zr[ro + j] : 0))));
      // tanh(z) = 2σ(2z) − 1: one exp instead of V8's slower Math.tanh.
      for (let j = 3 * H; j < G; j++) act[zo + j] = 2 / (1 + Math.exp(-2 * (act[zo + j] + bias[j] + (zr ? zr[ro + j] : 0)))) - 1;
      const ho = b * H;
      for (let k = 0; k < H; k++) {
        const cv = act[zo + H + k] * c[cPrev + ho + k] + act[zo + k] * act[zo + 3 * H + k];
        c[cNext + ho + k] = cv;
        const tc = 2 / (1 + Math.exp(-2 * cv)) - 1;
        tcs[cPrev + ho + k] = tc;
        h[cNext + ho + k] = act[zo + 2 * H + k] * tc;
      }
    }
  }
  return { B, T, F, H, xt, act, c, h, tc: tcs };
}

/** Gradients w.r.t. x [B, T, F], kernel, recurrent, bias, given dL/dh_T [B, H]. */
function backward(tr: Trace, dhT: Float32Array, kernel: tf.Tensor2D, recurrent: tf.Tensor2D): [Float32Array, tf.Tensor2D, tf.Tensor2D, Float32Array] {
  const { B, T, F, H, act, c, h, xt } = tr;
  const G = 4 * H;
  const dZ = new Float32Array(T * B * G);
  // wasm's matMul is several times slower with transpose flags: transpose once up front.
  const rT = tf.transpose(recurrent) as tf.Tensor2D;
  let dh = dhT;
  const dc = new Float32Array(B * H);
  for (let t = T - 1; t >= 0; t--) {
    const base = t * B * G;
    const cPrev = t * B * H;
    for (let b = 0; b < B; b++) {
      const zo = base + b * G;
      const ho = b * H;
      for (let k = 0; k < H; k++) {
        const ig = act[zo + k];
        const fg = act[zo + H + k];
        const og = act[zo + 2 * H + k];
        const gg = act[zo + 3 * H + k];
        const tc = tr.tc[cPrev + ho + k];
        const dhv = dh[ho + k];
        // dc_t = dc carried from t+1 (already × f_{t+1}) + dh·o·(1 − tanh²c)
        const dcv = dc[ho + k] + dhv * og * (1 - tc * tc);
        dZ[zo + k] = dcv * gg * ig * (1 - ig);
        dZ[zo + H + k] = dcv * c[cPrev + ho + k] * fg * (1 - fg);
        dZ[zo + 2 * H + k] = dhv * tc * og * (1 - og);
        dZ[zo + 3 * H + k] = dcv * ig * (1 - gg * gg);
        dc[ho + k] = dcv * fg;
      }
    }
    if (t > 0) dh = mm(dZ.subarray(base, base + B * G), B, G, rT);
  }
  // Weight gradients of all steps at once: [H, T·B] × [T·B, 4H] and [F, T·B] × [T·B, 4H].
  const dz = tf.tensor2d(dZ, [T * B, G]);
  const hPrevT = tf.tensor2d(transpose(h.subarray(0, T * B * H), T * B, H), [H, T * B]);
  const xT = tf.tensor2d(transpose(xt, T * B, F), [F, T * B]);
  const kT = tf.transpose(kernel);
  const dR = tf.matMul(hPrevT, dz) as tf.Tensor2D;
  const dK = tf.matMul(xT, dz) as tf.Tensor2D;
  const dxT = tf.matMul(dz, kT);
  const dx = dxT.dataSync() as Float32Array;
  tf.dispose([dz, hPrevT, xT, dxT, kT, rT]);
  const db = new Float32Array(G);
  for (let r = 0; r < T * B; r++) for (let j = 0; j < G; j++) db[j] += dZ[r * G + j];
  return [fromTimeMajor(dx, B, T, F), dK, dR, db];
}

/** Last hidden state [B, H] of the LSTM over x [B, T, F]; differentiable via hand-written BPTT. */
export function lstmLastHidden(x: tf.Tensor3D, w: LstmWeights): tf.Tensor2D {
  const op = tf.customGrad((...args: unknown[]) => {
    // customGrad passes the inputs then a save function (unused: the trace is plain arrays).
    const [xi, k, r, b] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const [B, T, F] = xi.shape;
    const tr = forward(xi.dataSync() as Float32Array, B, T, F, k, r, b.dataSync() as Float32Array);
    const H = tr.H;
    return {
      value: tf.tensor2d(tr.h.subarray(T * B * H), [B, H]),
      gradFunc: (dy: tf.Tensor) => {
        const [dx, dK, dR, db] = backward(tr, dy.dataSync() as Float32Array, k, r);
        return [tf.tensor3d(dx, [B, T, F]), dK, dR, tf.tensor1d(db)];
      },
    };
  });
  return op(x, w.kernel, w.recurrent, w.bias) as tf.Tensor2D;
}

/** Inference-only forward. */
export function lstmLastHiddenInference(x: tf.Tensor3D, w: LstmWeights): tf.Tensor2D {
  const [B, T, F] = x.shape;
  const tr = forward(x.dataSync() as Float32Array, B, T, F, w.kernel, w.recurrent, w.bias.dataSync() as Float32Array);
  return tf.tensor2d(tr.h.subarray(T * B * tr.H), [B, tr.H]);
}
