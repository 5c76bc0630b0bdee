/**
 * Running a trained model: raw relative outputs for encoded samples, and launch curves
 * (units, calibrated intervals, point forecast) for candidates.
 */
import * as tf from '@tensorflow/tfjs';
import type { ColdStartContext, Samples } from '../features.js';
import { encodeCandidates } from '../features.js';
import { quantileAt } from '../point-forecast.js';
import type { CandidateRow, LaunchForecast } from '../types.js';
import { batchTensors, disposeBatch } from './batches.js';
import { forwardNet } from './network.js';
import { levelsOf, type TrainedModel } from './trained-model.js';

/** Raw network outputs [n, horizon, quantiles + mean] in relative units. */
export function predictRelative(model: TrainedModel, s: Samples): Float32Array {
  const spec = model.featureSpec;
  const vars: Record<string, tf.Tensor> = {};
  for (const [k, w] of Object.entries(model.weights)) vars[k] = tf.tensor(w.data, w.shape);
  const per = levelsOf(model).length + 1;
  const out = new Float32Array(s.n * spec.horizon * per);
  try {
    for (let b = 0; b < s.n; b += 1024) {
      const idx = Array.from({ length: Math.min(1024, s.n - b) }, (_, i) => b + i);
      const t = batchTensors(s, spec, idx);
      const y = tf.tidy(() => forwardNet(vars, t.seq, t.stat, t.cov, false, per));
      out.set(y.dataSync(), b * spec.horizon * per);
      tf.dispose(y);
      disposeBatch(t);
    }
  } finally {
    tf.dispose(Object.values(vars));
  }
  return out;
}

/**
 * Launch curves for candidates: relative outputs × the per-step scale (launch level × seasonal
 * multiplier); quantiles sorted (no crossing), p10/p90 distances from p50 widened by the
 * validation-calibrated `intervalScale`, clipped at 0; mean = the mean head, clipped at 0;
 * point = the quantile at the model's `pointLevel` (WAPE-minded with unbiased totals).
 */
export function predictColdStart(model: TrainedModel, candidates: CandidateRow[], context: ColdStartContext): LaunchForecast[] {
  const spec = model.featureSpec;
  const s = encodeCandidates(spec, context, candidates);
  const raw = predictRelative(model, s);
  const L = levelsOf(model);
  const per = L.length + 1;
  const tau = model.info.pointLevel ?? 0.5;
  const lambda = model.info.intervalScale ?? 1;
  const out: LaunchForecast[] = [];
  for (let i = 0; i < s.n; i++) {
    for (let st = 0; st < spec.horizon; st++) {
      const o = (i * spec.horizon + st) * per;
      const sc = s.scale[i * spec.horizon + st];
      const q = Array.from(raw.subarray(o, o + L.length));
      const [lo, mid, hi] = [quantileAt(L, q, 0.1), quantileAt(L, q, 0.5), quantileAt(L, q, 0.9)];
      const p10 = Math.max(0, mid - lambda * (mid - lo)) * sc;
      const p90 = Math.max(0, mid + lambda * (hi - mid)) * sc;
      const mean = Math.max(0, raw[o + L.length]) * sc;
      const point = Math.max(0, quantileAt(L, q, tau)) * sc;
      out.push({ itemId: s.itemIds[i], step: st + 1, mean, p10, p50: Math.max(0, mid) * sc, p90, point });
    }
  }
  return out;
}
