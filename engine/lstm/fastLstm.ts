/**
 * A single-layer LSTM whose cost is a few large matrix products instead of hundreds of small
 * op dispatches, for the tfjs wasm/cpu backends where dispatch, not arithmetic, dominates.
 *
 * - The input projections of all T steps are one matMul ([T·B, F] × [F, 4H]).
 * - The four gates are one matMul per step ([B, H] × [H, 4H]).
 * - The recurrence has a hand-written backward pass (BPTT, tf.customGrad): per step only
 *   elementwise ops and one matMul for dh; the weight gradients of all steps are two matMuls
 *   over the stacked gate gradients afterwards.
 *
 * Gate maths follow Hochreiter & Schmidhuber (1997) with a forget gate (Gers et al. 2000), the
 * same as Keras/tfjs-layers `LSTM` with recurrentActivation 'sigmoid' and activation 'tanh'.
 * Internally the gate columns are ordered [i, f, o, g] so the three sigmoid gates are one
 * contiguous slice; `fromKerasLayout`/`toKerasLayout` convert from tfjs-layers' [i, f, g, o].
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

interface StepState {
  h: tf.Tensor2D;
  c: tf.Tensor2D;
}

/** Forward pass; when `keep` is given, per-step tensors needed by BPTT are appended to it. */
function forward(x: tf.Tensor3D, kernel: tf.Tensor2D, recurrent: tf.Tensor2D, bias: tf.Tensor1D, keep?: tf.Tensor[]): tf.Tensor2D {
  const [B, T, F] = x.shape;
  const H = recurrent.shape[0];
  // One projection for all steps, time-major so each step's rows are contiguous.
  const xt = tf.reshape(tf.transpose(x, [1, 0, 2]), [T * B, F]);
  const xp = tf.reshape(tf.add(tf.matMul(xt, kernel), bias), [T, B, 4 * H]);
  const steps = tf.unstack(xp) as tf.Tensor2D[];
  let st: StepState = { h: tf.zeros([B, H]), c: tf.zeros([B, H]) };
  for (let t = 0; t < T; t++) {
    const z = t === 0 ? steps[0] : tf.add(steps[t], tf.matMul(st.h, recurrent));
    const sig = tf.sigmoid(tf.slice(z, [0, 0], [B, 3 * H]));
    const g = tf.tanh(tf.slice(z, [0, 3 * H], [B, H]));
    const i = tf.slice(sig, [0, 0], [B, H]);
    const f = tf.slice(sig, [0, H], [B, H]);
    const o = tf.slice(sig, [0, 2 * H], [B, H]);
    const c = tf.add(tf.mul(f, st.c), tf.mul(i, g)) as tf.Tensor2D;
    const tc = tf.tanh(c);
    const h = tf.mul(o, tc) as tf.Tensor2D;
    // Saved per step: sigmoid gates, g, previous c, tanh(c), previous h.
    if (keep) keep.push(sig, g, st.c, tc, st.h);
    st = { h, c };
  }
  if (keep) keep.push(xt);
  return st.h;
}

/** Last hidden state [B, H] of the LSTM over x [B, T, F]; differentiable via hand-written BPTT. */
export function lstmLastHidden(x: tf.Tensor3D, w: LstmWeights): tf.Tensor2D {
  const op = tf.customGrad((...args: unknown[]) => {
    // customGrad passes the inputs then the save function; typed loosely by tfjs.
    const [xi, k, r, b, save] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const kept: tf.Tensor[] = [];
    const h = forward(xi, k, r, b, kept);
    save([k, r, ...kept]);
    const [B, T, F] = xi.shape;
    const H = r.shape[0];
    return {
      value: h,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [kS, rS] = saved as [tf.Tensor2D, tf.Tensor2D];
        const per = saved.slice(2);
        const xtS = per[per.length - 1] as tf.Tensor2D;
        let dh = dy as tf.Tensor2D;
        let dc: tf.Tensor2D | undefined;
        const dz: tf.Tensor2D[] = new Array(T);
        const hPrev: tf.Tensor2D[] = new Array(T);
        for (let t = T - 1; t >= 0; t--) {
          const [sig, g, cPrev, tc, hp] = per.slice(5 * t, 5 * t + 5) as tf.Tensor2D[];
          hPrev[t] = hp;
          const i = tf.slice(sig, [0, 0], [B, H]);
          const f = tf.slice(sig, [0, H], [B, H]);
          const o = tf.slice(sig, [0, 2 * H], [B, H]);
          // dc_t = dc_{t+1}·f_{t+1} (carried) + dh·o·(1 − tanh²c)
          const dcLocal = tf.mul(tf.mul(dh, o), tf.sub(1, tf.square(tc)));
          const dcT = (dc ? tf.add(dc, dcLocal) : dcLocal) as tf.Tensor2D;
          const dsig = tf.concat([tf.mul(dcT, g), tf.mul(dcT, cPrev), tf.mul(dh, tc)], 1);
          const dzIfo = tf.mul(dsig, tf.mul(sig, tf.sub(1, sig)));
          const dzG = tf.mul(tf.mul(dcT, i), tf.sub(1, tf.square(g)));
          dz[t] = tf.concat([dzIfo, dzG], 1) as tf.Tensor2D;
          dc = tf.mul(dcT, f) as tf.Tensor2D;
          if (t > 0) dh = tf.matMul(dz[t], rS, false, true);
        }
        const dZ = tf.reshape(tf.stack(dz), [T * B, 4 * H]) as tf.Tensor2D;
        const hP = tf.reshape(tf.stack(hPrev), [T * B, H]) as tf.Tensor2D;
        const dR = tf.matMul(hP, dZ, true, false);
        const dK = tf.matMul(xtS, dZ, true, false);
        const db = tf.sum(dZ, 0);
        const dX = tf.transpose(tf.reshape(tf.matMul(dZ, kS, false, true), [T, B, F]), [1, 0, 2]);
        return [dX, dK, dR, db];
      },
    };
  });
  return op(x, w.kernel, w.recurrent, w.bias) as tf.Tensor2D;
}

/** Inference-only forward (no saved tensors). */
export function lstmLastHiddenInference(x: tf.Tensor3D, w: LstmWeights): tf.Tensor2D {
  return tf.tidy(() => forward(x, w.kernel, w.recurrent, w.bias));
}
