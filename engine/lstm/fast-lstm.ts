/**
 * A single-layer LSTM whose cost is a few large matrix products instead of hundreds of small
 * op dispatches, for the tfjs wasm/cpu backends where dispatch (and wasm's unoptimised slice,
 * concat and tanh kernels) cost more than the arithmetic.
 *
 * - Each step is ONE fused product [h | x_t | 1] × [R; K; b] with the sigmoid applied by the
 *   backend: the four gates, the input projection and the bias together (tanh for g comes
 *   from the same sigmoid, tanh(z) = 2σ(2z) − 1, by doubling the g columns).
 * - The cell update runs in a plain loop over Float32Arrays (no tensor allocations), and the
 *   recurrence has a hand-written backward pass (BPTT, registered with tf.customGrad): per
 *   step one matMul for dh; the weight gradients of all steps are one matMul over the stacked
 *   gate gradients afterwards, and dx another.
 * - wasm's matMul is several times slower with transpose flags, and tf.tidy walks returned
 *   typed arrays element by element, so neither is used on the hot path.
 * Per batch of the reference shape (B 256, T 52, H 64) that is ~1.4 GFLOP in 2·T + 2 products,
 * so on tfjs ops throughput is bounded by the backend's single-thread matMul speed.
 *
 * When engine/lstm/kernel.ts has the native kernel installed (native/lstm.c: the same maths in
 * register-blocked SIMD C, one call for all T steps forward and one for BPTT), that kernel
 * replaces both passes inside the same tf.customGrad, so callers, loss and optimiser are
 * unchanged; shapes and dtypes are validated here before any native call.
 *
 * Gate maths follow Hochreiter & Schmidhuber (1997) with a forget gate (Gers et al. 2000), the
 * same as Keras/tfjs-layers `LSTM` with recurrentActivation 'sigmoid' and activation 'tanh'.
 * Internally the gate columns are ordered [i, f, o, g] (the sigmoid gates contiguous);
 * `fromKerasLayout`/`toKerasLayout` convert from tfjs-layers' [i, f, g, o].
 */
import * as tf from '@tensorflow/tfjs';
import { activeNativeLstm } from './kernel.js';
import type { NativeLstmModule } from './native/module.js';

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

function forward(x: Float32Array, B: number, T: number, F: number, kernel: Float32Array, recurrent: Float32Array, bias: Float32Array, H: number, keep: boolean): Trace {
  const G = 4 * H;
  const D = H + F + 1;
  const xt = toTimeMajor(x, B, T, F);
  // One weight matrix [R; K; b] so each step is a single fused product [h | x_t | 1] × W with
  // the sigmoid applied by the backend: the input projection and bias ride along (F + 1 extra
  // rows) instead of costing separate ops. The g columns are doubled, since tanh(z) = 2σ(2z) − 1.
  const w = new Float32Array(D * G);
  w.set(recurrent, 0);
  w.set(kernel, H * G);
  w.set(bias, (H + F) * G);
  for (let r = 0; r < D; r++) for (let j = 3 * H; j < G; j++) w[r * G + j] *= 2;
  const wT = tf.tensor2d(w, [D, G]);
  // Training keeps every step for BPTT; inference keeps only the running state.
  const act = new Float32Array(keep ? T * B * G : 0);
  const c = new Float32Array((keep ? T + 1 : 1) * B * H);
  const h = new Float32Array((keep ? T + 1 : 1) * B * H);
  const tcs = new Float32Array(keep ? T * B * H : 0);
  // The product's left operand [h | x_t | 1]: h is written here directly by the cell update.
  const a = new Float32Array(B * D);
  for (let b = 0; b < B; b++) a[b * D + D - 1] = 1;
  try {
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const xo = (t * B + b) * F;
        for (let f = 0; f < F; f++) a[b * D + H + f] = xt[xo + f];
      }
      const at = tf.tensor2d(a, [B, D]);
      const zt = tf.fused.matMul({ a: at, b: wT, activation: 'sigmoid' });
      const sig = zt.dataSync() as Float32Array;
      tf.dispose([at, zt]);
      const cPrev = keep ? t * B * H : 0;
      const cNext = keep ? (t + 1) * B * H : 0;
      for (let b = 0; b < B; b++) {
        const so = b * G;
        const ho = b * H;
        const ao = b * D;
        for (let k = 0; k < H; k++) {
          const ig = sig[so + k];
          const fg = sig[so + H + k];
          const og = sig[so + 2 * H + k];
          const gg = 2 * sig[so + 3 * H + k] - 1;
          const cv = fg * c[cPrev + ho + k] + ig * gg;
          const tc = 2 / (1 + Math.exp(-2 * cv)) - 1;
          const hv = og * tc;
          c[cNext + ho + k] = cv;
          h[cNext + ho + k] = hv;
          a[ao + k] = hv;
          if (keep) {
            const zo = t * B * G + so;
            act[zo + k] = ig;
            act[zo + H + k] = fg;
            act[zo + 2 * H + k] = og;
            act[zo + 3 * H + k] = gg;
            tcs[t * B * H + ho + k] = tc;
          }
        }
      }
    }
  } finally {
    wT.dispose();
  }
  return { B, T, F, H, xt, act, c, h, tc: tcs };
}

/** Gradients w.r.t. x [B, T, F], kernel, recurrent, bias, given dL/dh_T [B, H]. */
function backward(tr: Trace, dhT: Float32Array, kernel: tf.Tensor2D, recurrent: tf.Tensor2D): [Float32Array, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D] {
  const { B, T, F, H, act, c, xt } = tr;
  const h = tr.h;
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
  // Weight gradients of all steps in one product: [h_{t-1} | x_t | 1]ᵀ × dZ over all T·B rows
  // gives dR, dK and db stacked ([H + F + 1, 4H]); the operand is built transposed in JS
  // because wasm's matMul is several times slower with a transpose flag.
  const D = H + F + 1;
  const TB = T * B;
  const aT = new Float32Array(D * TB);
  for (let r = 0; r < TB; r++) {
    for (let k = 0; k < H; k++) aT[k * TB + r] = h[r * H + k];
    for (let f = 0; f < F; f++) aT[(H + f) * TB + r] = xt[r * F + f];
    aT[(D - 1) * TB + r] = 1;
  }
  const dz = tf.tensor2d(dZ, [TB, G]);
  const aTt = tf.tensor2d(aT, [D, TB]);
  const kT = tf.transpose(kernel);
  const dW = tf.matMul(aTt, dz);
  const dR = tf.slice(dW, [0, 0], [H, G]) as tf.Tensor2D;
  const dK = tf.slice(dW, [H, 0], [F, G]) as tf.Tensor2D;
  const db = tf.reshape(tf.slice(dW, [H + F, 0], [1, G]), [G]) as tf.Tensor1D;
  const dxT = tf.matMul(dz, kT);
  const dx = dxT.dataSync() as Float32Array;
  tf.dispose([dz, aTt, kT, dW, dxT, rT]);
  return [fromTimeMajor(dx, B, T, F), dK, dR, db];
}

/**
 * Checks x [B, T, F] and the weights against each other (float32, consistent sizes) before any
 * kernel runs: the native kernel must never see a buffer of the wrong length.
 */
function checkShapes(x: tf.Tensor, kernel: tf.Tensor, recurrent: tf.Tensor, bias: tf.Tensor): { B: number; T: number; F: number; H: number } {
  if (x.rank !== 3) throw new Error(`LSTM input must be [batch, time, features], got shape [${x.shape.join(', ')}]`);
  const [B, T, F] = x.shape as [number, number, number];
  const H = recurrent.shape[0];
  const G = 4 * H;
  const ok =
    recurrent.rank === 2 &&
    recurrent.shape[1] === G &&
    kernel.rank === 2 &&
    kernel.shape[0] === F &&
    kernel.shape[1] === G &&
    bias.rank === 1 &&
    bias.shape[0] === G;
  if (!ok)
    throw new Error(
      `LSTM weights do not fit input [${x.shape.join(', ')}]: kernel [${kernel.shape.join(', ')}], recurrent [${recurrent.shape.join(', ')}], bias [${bias.shape.join(', ')}] (want [F, 4H], [H, 4H], [4H])`,
    );
  for (const [name, t] of [['input', x], ['kernel', kernel], ['recurrent', recurrent], ['bias', bias]] as const)
    if (t.dtype !== 'float32') throw new Error(`LSTM ${name} must be float32, got ${t.dtype}`);
  if (B < 1 || T < 1 || F < 1 || H < 1) throw new Error(`LSTM shapes must be non-empty: B ${B}, T ${T}, F ${F}, H ${H}`);
  return { B, T, F, H };
}

const f32 = (t: tf.Tensor): Float32Array => t.dataSync() as Float32Array;

interface NativeTrace {
  /** h and c [T + 1, B, H], activated gates [T, B, 4H], tanh(c) [T, B, H]. */
  h: Float32Array;
  c: Float32Array;
  act: Float32Array;
  tc: Float32Array;
}

/**
 * Trace buffers for reuse (~24 MB at the reference shape): allocating and zeroing them every
 * step cost as much as a fifth of a training step. A trace returns here once its backward pass
 * has run; one that never gets a backward pass is left to the garbage collector. Only the
 * latest shape is kept, at most two traces of it.
 */
const tracePool: { key: string; free: NativeTrace[] } = { key: '', free: [] };

function takeTrace(B: number, T: number, H: number): NativeTrace {
  const key = `${B},${T},${H}`;
  if (tracePool.key === key) {
    const t = tracePool.free.pop();
    if (t) return t;
  }
  // The kernel writes every element (h[0] and c[0] included), so stale contents are harmless.
  return { h: new Float32Array((T + 1) * B * H), c: new Float32Array((T + 1) * B * H), act: new Float32Array(T * B * 4 * H), tc: new Float32Array(T * B * H) };
}

function giveBackTrace(B: number, T: number, H: number, t: NativeTrace): void {
  const key = `${B},${T},${H}`;
  if (tracePool.key !== key) {
    tracePool.key = key;
    tracePool.free = [];
  }
  if (tracePool.free.length < 2) tracePool.free.push(t);
}

/** Training forward on the native kernel; the trace stays in JS arrays until the backward pass. */
function nativeTrainStep(
  nat: NativeLstmModule,
  d: { B: number; T: number; F: number; H: number },
  x: Float32Array,
  k: Float32Array,
  r: Float32Array,
  b: Float32Array,
): { hT: Float32Array; backward: (dhT: Float32Array) => [Float32Array, Float32Array, Float32Array, Float32Array] } {
  const { B, T, F, H } = d;
  const G = 4 * H;
  const tr = takeTrace(B, T, H);
  nat.forward(B, T, F, H, x, k, r, b, true, tr.h, tr.c, tr.act, tr.tc);
  let done = false;
  return {
    // A copy: the trace buffer is reused after the backward pass.
    hT: tr.h.slice(T * B * H),
    backward: (dhT) => {
      if (done) throw new Error('LSTM backward pass run twice on one trace');
      done = true;
      const dx = new Float32Array(B * T * F);
      const dK = new Float32Array(F * G);
      const dR = new Float32Array(H * G);
      const db = new Float32Array(G);
      nat.backward(B, T, F, H, x, k, r, tr.h, tr.c, tr.act, tr.tc, dhT, dx, dK, dR, db);
      giveBackTrace(B, T, H, tr);
      return [dx, dK, dR, db];
    },
  };
}

/**
 * Last hidden state [B, H] of the LSTM over x [B, T, F]; differentiable via hand-written BPTT.
 * Runs on the native kernel when engine/lstm/kernel.ts has it, else on tfjs ops.
 */
export function lstmLastHidden(x: tf.Tensor3D, w: LstmWeights): tf.Tensor2D {
  const d = checkShapes(x, w.kernel, w.recurrent, w.bias);
  const nat = activeNativeLstm();
  const op = tf.customGrad((...args: unknown[]) => {
    // customGrad passes the inputs then a save function (unused: the trace is plain arrays).
    const [xi, k, r, b] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const { B, T, F, H } = d;
    if (nat) {
      const step = nativeTrainStep(nat, d, f32(xi), f32(k), f32(r), f32(b));
      return {
        value: tf.tensor2d(step.hT, [B, H]),
        gradFunc: (dy: tf.Tensor) => {
          const [dx, dK, dR, db] = step.backward(f32(dy));
          return [tf.tensor3d(dx, [B, T, F]), tf.tensor2d(dK, [F, 4 * H]), tf.tensor2d(dR, [H, 4 * H]), tf.tensor1d(db)];
        },
      };
    }
    const tr = forward(f32(xi), B, T, F, f32(k), f32(r), f32(b), H, true);
    return {
      value: tf.tensor2d(tr.h.subarray(T * B * H), [B, H]),
      gradFunc: (dy: tf.Tensor) => {
        const [dx, dK, dR, db] = backward(tr, f32(dy), k, r);
        return [tf.tensor3d(dx, [B, T, F]), dK, dR, db];
      },
    };
  });
  return op(x, w.kernel, w.recurrent, w.bias) as tf.Tensor2D;
}

/** Inference-only forward (native kernel when selected, else tfjs ops). */
export function lstmLastHiddenInference(x: tf.Tensor3D, w: LstmWeights): tf.Tensor2D {
  const { B, T, F, H } = checkShapes(x, w.kernel, w.recurrent, w.bias);
  const nat = activeNativeLstm();
  if (nat) {
    const h = new Float32Array(B * H);
    nat.forward(B, T, F, H, f32(x), f32(w.kernel), f32(w.recurrent), f32(w.bias), false, h, null, null, null);
    return tf.tensor2d(h, [B, H]);
  }
  const tr = forward(f32(x), B, T, F, f32(w.kernel), f32(w.recurrent), f32(w.bias), H, false);
  return tf.tensor2d(tr.h, [B, H]);
}
