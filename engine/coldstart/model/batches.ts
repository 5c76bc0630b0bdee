/**
 * Feeding the network: samples gathered into batch tensors (with each target week's loss
 * weight), and the per-epoch shuffle that makes a resumed run repeat an uninterrupted one.
 */
import * as tf from '@tensorflow/tfjs';
import { rng } from '../../lstm/index.js';
import type { FeatureSpec, Samples } from '../features.js';
import { covCount } from './network.js';

/**
 * Mean scale over the observed target weeks: dividing each week's scale by it gives the loss
 * weight that turns a loss in relative units back into one in units (see batchTensors).
 */
export function meanTargetScale(s: Samples): number {
  let sum = 0;
  let n = 0;
  for (let k = 0; k < s.mask.length; k++)
    if (s.mask[k] > 0) {
      sum += s.scale[k];
      n++;
    }
  return n > 0 && sum > 0 ? sum / n : 1;
}

/**
 * Batch tensors; `mask` holds each target week's loss weight: 0 where unobserved, else
 * scale / `refScale` when `refScale` is given. Targets are relative (units / scale), but
 * WAPE counts units: an error on a launch in a strong season or group costs more units, and
 * the weight makes the loss count it so (the loss in units, up to the constant refScale).
 */
export interface BatchTensors {
  seq: tf.Tensor3D;
  stat: tf.Tensor2D;
  cov: tf.Tensor3D | undefined;
  target: tf.Tensor2D;
  mask: tf.Tensor2D;
}

export function disposeBatch(t: BatchTensors): void {
  tf.dispose([t.seq, t.stat, t.target, t.mask, ...(t.cov ? [t.cov] : [])]);
}

export function batchTensors(s: Samples, spec: FeatureSpec, idx: number[], refScale?: number): BatchTensors {
  const W = spec.window * spec.seqFeatures;
  const S = spec.staticSize;
  const Hz = spec.horizon;
  const C = covCount(spec);
  const cov = new Float32Array(idx.length * Hz * C);
  const seq = new Float32Array(idx.length * W);
  const stat = new Float32Array(idx.length * S);
  const target = new Float32Array(idx.length * Hz);
  const mask = new Float32Array(idx.length * Hz);
  idx.forEach((i, k) => {
    seq.set(s.seq.subarray(i * W, (i + 1) * W), k * W);
    stat.set(s.stat.subarray(i * S, (i + 1) * S), k * S);
    target.set(s.target.subarray(i * Hz, (i + 1) * Hz), k * Hz);
    mask.set(s.mask.subarray(i * Hz, (i + 1) * Hz), k * Hz);
    if (C > 0) cov.set(s.cov.subarray(i * Hz * C, (i + 1) * Hz * C), k * Hz * C);
    if (refScale !== undefined) for (let j = 0; j < Hz; j++) mask[k * Hz + j] *= s.scale[i * Hz + j] / refScale;
  });
  return {
    seq: tf.tensor3d(seq, [idx.length, spec.window, spec.seqFeatures]),
    stat: tf.tensor2d(stat, [idx.length, S]),
    cov: C > 0 ? tf.tensor3d(cov, [idx.length, Hz, C]) : undefined,
    target: tf.tensor2d(target, [idx.length, Hz]),
    mask: tf.tensor2d(mask, [idx.length, Hz]),
  };
}

export function shuffled(n: number, seed: number, epoch: number): number[] {
  const r = rng((seed * 2654435761 + epoch * 40503) >>> 0);
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
