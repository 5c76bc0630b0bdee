/**
 * Training queries from launches inside the history. A product first sold at week L >= T'
 * (after a burn-in, so it is really new) is a query at cut-off T': its features come from the
 * purchases before T' only, its positives are the customers known at T' who bought it in
 * [L, L + truthWeeks) (clipped at the end of the history), its negatives a seeded sample of
 * the other known customers, weighted back to their full number. Several cut-offs, stepping
 * back from the end of the history, give the model recent launches under several seasons.
 */
import { mulberry32 } from '../math/index.js';
import { candidateFeatures, featureContext, FEATURE_NAMES, N_FEATURES, type EncodedCandidate, type FeatureOptions } from './features.js';
import { ATTRIBUTES, rowsBefore, type Attribute, type History } from './history.js';
import { fitLogistic, logit, type LogisticModel } from './model.js';
import { takeSnapshot, type Snapshot, type SnapshotOptions } from './snapshot.js';

export interface TrainingOptions {
  /** Training cut-offs at endWeek - k * trainStepWeeks for k = 1..trainCutoffs. */
  trainCutoffs: number;
  trainStepWeeks: number;
  /** Launches in [T', T' + launchWindowWeeks) are the queries of cut-off T'. */
  launchWindowWeeks: number;
  /** A buyer counts if they buy within this many weeks of the launch. */
  truthWeeks: number;
  /** A training cut-off needs at least this many weeks of history before it. */
  minHistoryWeeks: number;
  /** Sampled non-buyers per query. */
  negatives: number;
  /** Weight of a positive: (1 + log(1 + units))^unitWeight; > 0 favours customers who buy more. */
  unitWeight: number;
  /**
   * Each query's rows are weighted by 1 / (its positives)^queryNorm: 0 pools pairs (popular
   * launches dominate), 1 gives every launch the same total weight, as the per-candidate
   * averaged metrics do.
   */
  queryNorm: number;
  /**
   * 0: pointwise logistic over (customer, launch) rows. k > 0: pairwise logistic (each known
   * buyer of a launch against k sampled non-buyers of the same launch, as the per-candidate
   * top-K metrics compare them), recalibrated to probabilities on the pointwise rows.
   */
  pairsPerPositive: number;
  /** With pairs: the model is (1 − pairBlend) · pointwise + pairBlend · pairwise (1: pairwise only). */
  pairBlend: number;
  /**
   * LambdaRank-style pair weights: 0 = every pair weighs the same; 1 = each pair weighs the
   * change in DCG of swapping its two customers, at their ranks in the whole population under
   * the pointwise model (estimated from the sampled negatives), so pairs near the top count most.
   */
  pairLambda: number;
  l2: number;
  seed: number;
}

export interface LaunchQuery {
  item: number;
  launchWeek: number;
  /** Customer index → units bought in the truth window. */
  buyers: Map<number, number>;
}

/** Products first sold in [from, to), each with its buyers in its first `truthWeeks` weeks. */
export function launchesBetween(h: History, from: number, to: number, truthWeeks: number): LaunchQuery[] {
  const first = new Int32Array(h.items.length).fill(-1);
  for (let k = 0; k < h.rowItem.length; k++) if (first[h.rowItem[k]] < 0) first[h.rowItem[k]] = h.rowWeek[k];
  const queries = new Map<number, LaunchQuery>();
  for (let i = 0; i < h.items.length; i++) {
    if (first[i] >= from && first[i] < to && h.attr.category[i] >= 0) queries.set(i, { item: i, launchWeek: first[i], buyers: new Map() });
  }
  for (let k = rowsBefore(h, from); k < h.rowItem.length; k++) {
    const q = queries.get(h.rowItem[k]);
    if (!q || h.rowWeek[k] >= q.launchWeek + truthWeeks) continue;
    const c = h.rowCustomer[k];
    q.buyers.set(c, (q.buyers.get(c) ?? 0) + h.rowUnits[k]);
  }
  return [...queries.values()];
}

export function encodeHistoryItem(h: History, i: number, gapWeeks: number): EncodedCandidate {
  const values = {} as Record<Attribute, number>;
  for (const a of ATTRIBUTES) values[a] = h.attr[a][i];
  return { itemId: h.items[i], gapWeeks, values, logPrice: h.logPrice[i], code: h.code[i] };
}

export interface TrainingSet {
  X: Float64Array;
  y: Uint8Array;
  w: Float64Array;
  queries: number;
  cutoffs: number[];
  /** Differences buyer − non-buyer of one launch, randomly signed (y = 1: not flipped). */
  pairs: { X: Float64Array; y: Uint8Array; w: Float64Array; a: Int32Array; b: Int32Array };
  /** Each query's rows: `positives` buyers from `start`, then `negatives` sampled from `population`. */
  queryRows: Array<{ start: number; positives: number; negatives: number; population: number }>;
}

export function trainingSet(h: History, opt: TrainingOptions & SnapshotOptions & FeatureOptions): TrainingSet {
  const rand = mulberry32(opt.seed);
  // Feature rows arrive per launch as typed arrays: kept as chunks and joined once (pushing
  // millions of numbers into plain arrays cost more in garbage collection than the fits).
  const Xs: Float64Array[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  const cutoffs: number[] = [];
  const pairRand = mulberry32(opt.seed + 1);
  const PX: Float64Array[] = [];
  const PY: number[] = [];
  const PW: number[] = [];
  const PA: number[] = [];
  const PB: number[] = [];
  const queryRows: TrainingSet['queryRows'] = [];
  let queries = 0;
  for (let k = 1; k <= opt.trainCutoffs; k++) {
    const t = h.endWeek - k * opt.trainStepWeeks;
    if (t < h.firstWeek + Math.max(opt.minHistoryWeeks, opt.burnInWeeks)) break;
    const launches = launchesBetween(h, t, Math.min(t + opt.launchWindowWeeks, h.endWeek), opt.truthWeeks);
    if (launches.length === 0) continue;
    const s: Snapshot = takeSnapshot(h, t, opt);
    const ctx = featureContext(s, opt);
    cutoffs.push(t);
    for (const q of launches) {
      const pos: number[] = [];
      const others: number[] = [];
      for (const c of s.known) (q.buyers.has(c) ? pos : others).push(c);
      if (pos.length === 0) continue;
      queries++;
      // Partial Fisher-Yates: the first m of `others` become a uniform sample.
      const m = Math.min(opt.negatives, others.length);
      for (let a = 0; a < m; a++) {
        const b = a + Math.floor(rand() * (others.length - a));
        [others[a], others[b]] = [others[b], others[a]];
      }
      const qw = pos.length ** -opt.queryNorm;
      const negW = m > 0 ? (qw * others.length) / m : 0;
      const rows = Int32Array.from([...pos, ...others.slice(0, m)]);
      const X = candidateFeatures(ctx, encodeHistoryItem(h, q.item, q.launchWeek - t), rows);
      const base = ys.length;
      queryRows.push({ start: base, positives: pos.length, negatives: m, population: others.length });
      Xs.push(X);
      for (let r = 0; r < rows.length; r++) {
        ys.push(r < pos.length ? 1 : 0);
        ws.push(r < pos.length ? qw * (1 + Math.log1p(q.buyers.get(rows[r])!)) ** opt.unitWeight : negW);
      }
      const D = m > 0 ? new Float64Array(pos.length * opt.pairsPerPositive * N_FEATURES) : new Float64Array(0);
      let o = 0;
      for (let a = 0; a < pos.length && m > 0; a++) {
        for (let p = 0; p < opt.pairsPerPositive; p++) {
          const b = pos.length + Math.floor(pairRand() * m);
          const sign = pairRand() < 0.5 ? 1 : -1;
          for (let j = 0; j < N_FEATURES; j++) D[o++] = sign * (X[a * N_FEATURES + j] - X[b * N_FEATURES + j]);
          PY.push(sign > 0 ? 1 : 0);
          PW.push(qw);
          PA.push(base + a);
          PB.push(base + b);
        }
      }
      PX.push(D);
    }
  }
  return {
    X: concat(Xs),
    y: Uint8Array.from(ys),
    w: Float64Array.from(ws),
    queries,
    cutoffs,
    pairs: { X: concat(PX), y: Uint8Array.from(PY), w: Float64Array.from(PW), a: Int32Array.from(PA), b: Int32Array.from(PB) },
    queryRows,
  };
}

function concat(parts: readonly Float64Array[]): Float64Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Float64Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export interface TrainedAudienceModel {
  logistic: LogisticModel;
  /** Training queries (launches with at least one known buyer) and their cut-off weeks. */
  queries: number;
  cutoffs: number[];
}

/** Fits the combination; undefined when the history holds no usable launch to learn from. */
export function trainAudienceModel(h: History, opt: TrainingOptions & SnapshotOptions & FeatureOptions): TrainedAudienceModel | undefined {
  const set = trainingSet(h, opt);
  if (set.queries === 0) return undefined;
  const pointwise = fitLogistic({ X: set.X, y: set.y, w: set.w, d: N_FEATURES }, FEATURE_NAMES, opt.l2);
  const logistic = opt.pairsPerPositive > 0 && set.pairs.y.length > 0 ? blend(pointwise, pairwiseModel(set, opt.l2, opt.pairLambda > 0 ? lambdaWeights(set, pointwise, opt.pairLambda) : set.pairs.w), opt.pairBlend) : pointwise;
  return { logistic, queries: set.queries, cutoffs: set.cutoffs };
}

/**
 * Pairwise fit, then a one-feature logistic of the pointwise labels on its score so that
 * probabilities (expected buyers, demand shares) stay calibrated; the ranking is the pairwise one.
 */
function pairwiseModel(set: TrainingSet, l2: number, pairWeights: Float64Array): LogisticModel {
  const pw = fitLogistic({ X: set.pairs.X, y: set.pairs.y, w: pairWeights, d: N_FEATURES }, FEATURE_NAMES, l2);
  const n = set.y.length;
  const score = new Float64Array(n);
  for (let r = 0; r < n; r++) score[r] = logit(pw, set.X, r * N_FEATURES) - pw.intercept;
  const cal = fitLogistic({ X: score, y: set.y, w: set.w, d: 1 }, ['score'], 0);
  const b = cal.weights[0] / cal.scale[0];
  const a = cal.intercept - b * cal.mean[0];
  // eta = a + b * sum_j w_j (x_j - m_j) / s_j: the same linear form with scaled weights.
  return { names: FEATURE_NAMES, mean: pw.mean, scale: pw.scale, weights: pw.weights.map((w) => b * w), intercept: a };
}

/** (1 − t) · a + t · b of two linear models over the same raw features, as one model. */
function blend(a: LogisticModel, b: LogisticModel, t: number): LogisticModel {
  if (t >= 1) return b;
  const d = a.weights.length;
  const weights = new Float64Array(d);
  let intercept = (1 - t) * a.intercept + t * b.intercept;
  for (let j = 0; j < d; j++) {
    // Raw-space slope of each, then re-expressed on a's standardisation.
    const raw = ((1 - t) * a.weights[j]) / a.scale[j] + (t * b.weights[j]) / b.scale[j];
    weights[j] = raw * a.scale[j];
    intercept += -((1 - t) * a.weights[j] * a.mean[j]) / a.scale[j] - (t * b.weights[j] * b.mean[j]) / b.scale[j] + raw * a.mean[j];
  }
  return { names: a.names, mean: a.mean, scale: a.scale, weights, intercept };
}

/**
 * Pair weights (1 − lambda) + lambda · |ΔDCG| / mean |ΔDCG|, the ranks being each row's estimated
 * rank among all known customers for its launch under the pointwise model (a sampled negative
 * stands for population / negatives customers).
 */
export function lambdaWeights(set: TrainingSet, pointwise: LogisticModel, lambda: number): Float64Array {
  const n = set.y.length;
  const score = new Float64Array(n);
  for (let r = 0; r < n; r++) score[r] = logit(pointwise, set.X, r * N_FEATURES);
  const rank = new Float64Array(n);
  for (const q of set.queryRows) {
    const end = q.start + q.positives + q.negatives;
    const perNegative = q.negatives > 0 ? q.population / q.negatives : 0;
    for (let r = q.start; r < end; r++) {
      let above = 0;
      for (let u = q.start; u < end; u++) if (score[u] > score[r]) above += u < q.start + q.positives ? 1 : perNegative;
      rank[r] = above;
    }
  }
  const gain = (x: number) => 1 / Math.log2(2 + x);
  const raw = new Float64Array(set.pairs.w.length);
  let sum = 0;
  for (let p = 0; p < raw.length; p++) {
    raw[p] = Math.abs(gain(rank[set.pairs.a[p]]) - gain(rank[set.pairs.b[p]]));
    sum += raw[p];
  }
  const mean = sum / (raw.length || 1) || 1;
  return Float64Array.from(raw, (v, p) => set.pairs.w[p] * (1 - lambda + (lambda * v) / mean));
}
